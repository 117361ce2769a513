public import Foundation

/// A fresh folder under the system temporary directory, removed by `remove()` or when the value goes away.
///
/// Tests that hand the folder to a child process which outlives the test body use `temporaryFolder()` instead;
/// tests of code that must create the folder itself use `temporaryDirectory()`.
public final class TemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Creates the folder, named `prefix-<uuid>`.
    public init(prefix: String = "zrules-test") throws {
        url = try Self.create(prefix: prefix)
    }

    /// The folder's path.
    public var root: String { url.path }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    deinit { remove() }

    /// A unique path under the system temporary directory, not yet created.
    static func name(prefix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString)",
            isDirectory: true
        )
    }

    /// Creates a uniquely named folder and returns it.
    static func create(prefix: String) throws -> URL {
        let url = name(prefix: prefix)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A fresh folder that is left in place after the test (child processes may still write their logs to it).
public func temporaryFolder() throws -> URL {
    try TemporaryDirectory.create(prefix: "zrules-cli")
}

/// Runs `body` with a fresh folder and removes the folder afterwards, whether `body` threw or not.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory.url)
}

/// A unique path under the system temporary directory that does not exist yet (for code that creates it).
public func temporaryDirectory() -> URL {
    TemporaryDirectory.name(prefix: "zrules-engine")
}
