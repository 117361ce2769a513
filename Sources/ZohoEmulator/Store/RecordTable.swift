/// One module's stored records (deleted ones too) with the indexes reads need: by id, in id order, children by
/// lookup field, and records by the value of the fields duplicate checks and lead matching compare.
///
/// Every write goes through ``put(_:id:)``, so no index can drift from the records. Indexes may hold ids whose
/// records no longer match (a deleted child, a lookup changed in a nested object): readers re-check their own
/// predicate on what an index returns, so an index only narrows, never decides.
struct RecordTable: Sendable {
    /// The lookup fields whose parent ids are indexed.
    let lookupFields: [String]
    /// The fields indexed by ``OrgState/comparable(_:)`` of their value.
    let valueFields: [String]
    private(set) var byID: [String: EmulatorRecord] = [:]
    /// Every stored id ascending as strings, the order `live` has always returned.
    private(set) var sortedIDs: [String] = []
    /// Lookup field → parent id (``JSONValue/lookupID``) → child ids.
    private var children: [String: [String: Set<String>]] = [:]
    /// Field → comparable value → ids.
    private var values: [String: [String: Set<String>]] = [:]
    /// The length every id has while ``idsAreUniform`` holds.
    private var idLength: Int?
    /// True while every id is ASCII digits without a leading zero, of one length, within Int64: then string order
    /// is COQL's numeric id order and numeric equality is string equality.
    private(set) var idsAreUniform = true

    init(lookupFields: [String] = [], valueFields: [String] = []) {
        self.lookupFields = lookupFields
        self.valueFields = valueFields
    }

    /// The stored record (deleted or not).
    subscript(id: String) -> EmulatorRecord? { byID[id] }

    /// Stores a new or changed record under `id`, keeping every index in step.
    mutating func put(_ record: EmulatorRecord, id: String) {
        if let old = byID.updateValue(record, forKey: id) {
            unindex(old, id: id)
        } else {
            insertSorted(id)
            noteID(id)
        }
        index(record, id: id)
    }

    /// Changes every stored record in place (no copies), keeping the indexes in step.
    mutating func update(_ change: (inout EmulatorRecord) -> Void) {
        for id in sortedIDs {
            // Moved out of the table, the record is not shared, so changing it copies nothing.
            guard var record = byID.removeValue(forKey: id) else { continue }
            let before = indexKeys(record)
            change(&record)
            if indexKeys(record) != before {
                unindex(before, id: id)
                index(record, id: id)
            }
            byID[id] = record
        }
    }

    /// The ids of records whose `field` lookup points at `parent`, by the lookup's id as COQL reads it.
    func children(field: String, parent: String) -> Set<String> { children[field]?[parent] ?? [] }

    /// The ids of records whose `field` has `key` as its ``OrgState/comparable(_:)`` value; nil when the field
    /// is not indexed.
    func ids(field: String, comparable key: String) -> Set<String>? {
        guard valueFields.contains(field) else { return nil }
        return values[field]?[key] ?? []
    }

    /// The records of `ids` that are stored, ascending by id as strings.
    func records(_ ids: some Sequence<String>) -> [EmulatorRecord] {
        ids.sorted().compactMap { byID[$0] }
    }

    /// Visits stored records in ascending id order (descending when `reversed`) until `visit` returns false.
    func visit(reversed: Bool = false, _ visit: (EmulatorRecord) -> Bool) {
        if reversed {
            for id in sortedIDs.reversed() { if let r = byID[id], !visit(r) { return } }
        } else {
            for id in sortedIDs { if let r = byID[id], !visit(r) { return } }
        }
    }

    private mutating func insertSorted(_ id: String) {
        guard let last = sortedIDs.last, id < last else {
            sortedIDs.append(id)
            return
        }
        var low = 0
        var high = sortedIDs.count
        while low < high {
            let mid = (low + high) / 2
            if sortedIDs[mid] < id { low = mid + 1 } else { high = mid }
        }
        sortedIDs.insert(id, at: low)
    }

    private mutating func noteID(_ id: String) {
        guard idsAreUniform else { return }
        let utf8 = id.utf8
        let plain =
            !utf8.isEmpty && utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && (utf8.first != 48 || utf8.count == 1)
            && Int64(id) != nil
        if !plain || (idLength.map { $0 != utf8.count } ?? false) {
            idsAreUniform = false
        } else {
            idLength = utf8.count
        }
    }

    /// What the indexes hold for a record: its parent per lookup field and its key per value field.
    private func indexKeys(_ record: EmulatorRecord) -> (parents: [String?], values: [String?]) {
        (lookupFields.map { record[$0]?.lookupID }, valueFields.map { OrgState.comparable(record[$0]) })
    }

    private mutating func index(_ record: EmulatorRecord, id: String) {
        for field in lookupFields {
            guard let parent = record[field]?.lookupID else { continue }
            children[field, default: [:]][parent, default: []].insert(id)
        }
        for field in valueFields {
            guard let key = OrgState.comparable(record[field]) else { continue }
            values[field, default: [:]][key, default: []].insert(id)
        }
    }

    private mutating func unindex(_ record: EmulatorRecord, id: String) {
        unindex(indexKeys(record), id: id)
    }

    private mutating func unindex(_ keys: (parents: [String?], values: [String?]), id: String) {
        for (field, parent) in zip(lookupFields, keys.parents) {
            guard let parent else { continue }
            children[field]?[parent]?.remove(id)
            if children[field]?[parent]?.isEmpty ?? false { children[field]?[parent] = nil }
        }
        for (field, key) in zip(valueFields, keys.values) {
            guard let key else { continue }
            values[field]?[key]?.remove(id)
            if values[field]?[key]?.isEmpty ?? false { values[field]?[key] = nil }
        }
    }
}
