/// A position in a rule file: the file path, a 1-based line and a 1-based column counted in Unicode scalars.
public struct FileLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file path as given on the command line (or a name for in-memory text).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    /// A location at `line`:`column` of `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and CI annotate.
    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file, then line, then column.
    public static func < (lhs: FileLocation, rhs: FileLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// A value from a rule file together with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public var value: Value
    /// Where the value was written.
    public var location: FileLocation

    /// Wraps `value` found at `location`.
    public init(_ value: Value, at location: FileLocation) {
        self.value = value
        self.location = location
    }
}
