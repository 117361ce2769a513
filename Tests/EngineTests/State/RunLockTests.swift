import Engine
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct StateRunLockTests {
    @Test func aSecondAcquireFailsNamingTheHolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let lock = try RunLock.acquire(directory: directory.url)
        #expect(lock.isHeld)
        #expect(lock.url.lastPathComponent == "zrules.lock")
        let error = try #require(throws: EngineError.self) { try RunLock.acquire(directory: directory.url) }
        #expect(error.code == .locked)
        #expect(error.description.contains("process \(getpid())"))
        lock.release()
        #expect(!lock.isHeld)
        lock.release()  // a second release is harmless
        let again = try RunLock.acquire(directory: directory.url)
        #expect(again.isHeld)
    }

    @Test func releasedWhenTheLockGoesAway() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let lock = try RunLock.acquire(directory: directory.url)
            #expect(lock.isHeld)
        }
        let next = try RunLock.acquire(directory: directory.url)
        #expect(next.isHeld)
    }

    @Test func createsTheStateDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent("fresh/.zrules")
        let lock = try RunLock.acquire(directory: state)
        let mode = try FileManager.default.attributesOfItem(atPath: state.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        lock.release()
    }
}
