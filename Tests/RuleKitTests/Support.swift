import Foundation
import RuleKit
// Every file of the suite sees the shared helpers (temporary folders) without importing them.
@_exported import TestSupport

/// Test helpers: the metadata fixture and marked examples.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    )

    static let metadata: MetadataSnapshot = {
        do {
            return try MetadataSnapshot.load(path: directory.appendingPathComponent("metadata.json").path)
        } catch {
            preconditionFailure("the metadata fixture does not load: \(error)")
        }
    }()
}

/// YAML with an optional `↓` marker: the text without it, and the marker's line and column.
struct MarkedYAML {
    var text: String
    var line: Int?
    var column: Int?

    init(_ marked: String) {
        var text = String.UnicodeScalarView()
        var line = 1
        var column = 1
        for scalar in marked.unicodeScalars {
            if scalar == "↓" {
                self.line = line
                self.column = column
                continue
            }
            text.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = String(text)
    }
}

extension TimeZone {
    /// A zone the test relies on; every CI image has these IANA names.
    static func named(_ identifier: String) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else { preconditionFailure("no time zone \(identifier)") }
        return zone
    }
}
