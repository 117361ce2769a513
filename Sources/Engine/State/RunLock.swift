public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive, non-blocking lock on `zrules.lock` in the state directory, so runs never overlap (a daemon and a
/// manual `zrules run`, or two daemons).
///
/// Uses `flock`, so the kernel releases it when the process dies, however it dies: a crashed run never leaves a
/// stale lock. The holder writes its pid into the file so the next one can name it.
public final class RunLock: Sendable {
    /// The lock file's name inside the state directory.
    public static let fileName = "zrules.lock"

    /// The lock file.
    public let url: URL
    private let descriptor: Mutex<Int32?>

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = Mutex(descriptor)
    }

    /// Takes the lock, creating the directory (0700) and the lock file if needed; throws `.locked`, naming the
    /// holder's pid, when another process (or another `RunLock` in this one) holds it.
    public static func acquire(directory: URL) throws(EngineError) -> RunLock {
        if !FileManager.default.fileExists(atPath: directory.path) {
            try StateStore.createPrivateDirectory(directory, code: .lockFailed, operation: "lock")
        }
        let url = directory.appendingPathComponent(fileName)
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EngineError(.lockFailed, operation: "lock", message: "cannot open \(url.path): \(errorText())")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = readHolder(fd)
            close(fd)
            if failure == EWOULDBLOCK {
                let who = holder.map { "process \($0)" } ?? "another process"
                throw EngineError(
                    .locked,
                    operation: "lock",
                    message: "another zrules run is in progress (\(who) holds \(url.path)); "
                        + "wait for it to finish or stop it; runs never overlap"
                )
            }
            throw EngineError(.lockFailed, operation: "lock", message: "cannot lock \(url.path): \(errorText())")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pointer in pwrite(fd, pointer, strlen(pointer), 0) }
        return RunLock(url: url, descriptor: fd)
    }

    /// True until `release()` is called.
    public var isHeld: Bool { descriptor.withLock { $0 != nil } }

    /// Releases the lock; calling it again does nothing. Deinit releases it too.
    public func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            // Clear the pid first so a reader never names a process that no longer holds the lock.
            _ = ftruncate(open, 0)
            close(open)
            fd = nil
        }
    }

    deinit {
        release()
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
