public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The OAuth client and refresh token that let zrules act for an org.
///
/// Read from `ZOHO_CLIENT_ID`, `ZOHO_CLIENT_SECRET` and `ZOHO_REFRESH_TOKEN`, or from a JSON credentials file
/// that only its owner may read (mode 0600). `description` never shows the secret or the token.
public struct ZohoCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The OAuth client id (not secret; shown in full).
    public var clientID: String
    /// The OAuth client secret.
    public var clientSecret: String
    /// The long-lived refresh token.
    public var refreshToken: String
    /// The data centre recorded by `zrules auth login`, when read from a file that has one.
    public var dataCenter: ZohoConfiguration.DataCenter?

    /// Credentials from their parts.
    public init(
        clientID: String,
        clientSecret: String,
        refreshToken: String,
        dataCenter: ZohoConfiguration.DataCenter? = nil
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.dataCenter = dataCenter
    }

    /// Shows the client id only.
    public var description: String {
        "ZohoCredentials(clientID: \(clientID), clientSecret: <redacted>, refreshToken: <redacted>)"
    }

    /// Same as `description`: debug output must not leak either.
    public var debugDescription: String { description }

    /// The environment variables read by `fromEnvironment`.
    public enum EnvironmentKey {
        /// The OAuth client id.
        public static let clientID = "ZOHO_CLIENT_ID"
        /// The OAuth client secret.
        public static let clientSecret = "ZOHO_CLIENT_SECRET"
        /// The refresh token.
        public static let refreshToken = "ZOHO_REFRESH_TOKEN"
        /// A credentials file path.
        public static let file = "ZOHO_CREDENTIALS_FILE"
    }

    /// Credentials from the three environment variables; nil when none is set, an error when only some are.
    public static func fromEnvironment(_ env: [String: String]) throws(ZohoError) -> ZohoCredentials? {
        let values = [EnvironmentKey.clientID, EnvironmentKey.clientSecret, EnvironmentKey.refreshToken].map {
            env[$0].flatMap { $0.isEmpty ? nil : $0 }
        }
        if values.allSatisfy({ $0 == nil }) { return nil }
        guard let id = values[0], let secret = values[1], let token = values[2] else {
            let missing = zip(
                [EnvironmentKey.clientID, EnvironmentKey.clientSecret, EnvironmentKey.refreshToken],
                values
            ).filter { $0.1 == nil }.map(\.0)
            throw ZohoError(
                code: .credentials,
                operation: "load credentials",
                message: "incomplete credentials in the environment: \(missing.joined(separator: ", ")) not set"
            )
        }
        return ZohoCredentials(clientID: id, clientSecret: secret, refreshToken: token)
    }

    /// The default credentials file: `$XDG_CONFIG_HOME/zrules/credentials.json` or `~/.config/zrules/credentials.json`.
    public static func defaultFile(environment env: [String: String]) -> URL {
        if let path = env[EnvironmentKey.file], !path.isEmpty { return URL(fileURLWithPath: path) }
        let base =
            env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("zrules").appendingPathComponent("credentials.json")
    }

    /// Environment variables first, then the credentials file (`ZOHO_CREDENTIALS_FILE` or the default path).
    public static func resolve(environment env: [String: String], file: URL? = nil) throws(ZohoError) -> ZohoCredentials
    {
        if file == nil, let fromEnv = try fromEnvironment(env) { return fromEnv }
        let path = file ?? defaultFile(environment: env)
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw ZohoError(
                code: .credentials,
                operation: "load credentials",
                message: "no credentials: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN, "
                    + "or run `zrules auth login` to create \(path.path)"
            )
        }
        return try load(file: path)
    }

    /// What zrules sends to the loopback emulator when nothing is configured: it accepts any client unless its
    /// fixture lists some.
    public static let emulatorPlaceholder = ZohoCredentials(
        clientID: "1000.EMULATOR",
        clientSecret: "emulator",
        refreshToken: "1000.emulator"
    )

    /// As `resolve(environment:file:)`; for a loopback API URL (only the emulator lives there) with no variables
    /// and no credentials file, the placeholders instead of an error.
    public static func resolve(
        environment env: [String: String],
        file: URL? = nil,
        loopback: Bool
    ) throws(ZohoError) -> ZohoCredentials {
        if loopback, try fromEnvironment(env) == nil,
            !FileManager.default.fileExists(atPath: (file ?? defaultFile(environment: env)).path)
        {
            return emulatorPlaceholder
        }
        return try resolve(environment: env, file: file)
    }

    /// Reads a credentials file, refusing one that its group or others can read or write.
    public static func load(file: URL) throws(ZohoError) -> ZohoCredentials {
        try PrivateFile.checkPrivate(file, what: "credentials file")
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ZohoError(
                code: .credentials,
                operation: "load credentials",
                message: "cannot read \(file.path)",
                underlying: error
            )
        }
        guard let json = try? ZohoJSON(data: data), let id = json["client_id"].stringValue,
            let secret = json["client_secret"].stringValue, let token = json["refresh_token"].stringValue
        else {
            throw ZohoError(
                code: .credentials,
                operation: "load credentials",
                message: "\(file.path) must be a JSON object with client_id, client_secret and refresh_token"
            )
        }
        let dc = json["data_center"].stringValue.flatMap(ZohoConfiguration.DataCenter.init(rawValue:))
        return ZohoCredentials(clientID: id, clientSecret: secret, refreshToken: token, dataCenter: dc)
    }

    /// Throws if `file` exists and its group or others may read or write it; call before spending a one-time
    /// grant code on credentials that could not be stored.
    public static func checkWritable(_ file: URL) throws(ZohoError) {
        if FileManager.default.fileExists(atPath: file.path) {
            try PrivateFile.checkPrivate(file, what: "credentials file")
        }
    }

    /// Writes the credentials as JSON with mode 0600, atomically; refuses to touch an existing file that others
    /// can read (it may already have leaked, and silently tightening it would hide that).
    public func write(to file: URL) throws(ZohoError) {
        var object: [String: ZohoJSON] = [
            "client_id": .string(clientID),
            "client_secret": .string(clientSecret),
            "refresh_token": .string(refreshToken),
        ]
        if let dataCenter { object["data_center"] = .string(dataCenter.rawValue) }
        let data: Data
        do {
            data = try ZohoJSON.object(object).encoded()
        } catch {
            throw ZohoError(
                code: .credentials,
                operation: "store credentials",
                message: "cannot encode",
                underlying: error
            )
        }
        if FileManager.default.fileExists(atPath: file.path) {
            try PrivateFile.checkPrivate(file, what: "credentials file")
        }
        try PrivateFile.write(data, to: file, what: "credentials file")
    }
}

/// Files only their owner may read: credentials and the token cache.
enum PrivateFile {
    /// Throws unless the file's mode grants nothing to group or others.
    static func checkPrivate(_ file: URL, what: String) throws(ZohoError) {
        guard let mode = permissions(of: file) else {
            throw ZohoError(code: .credentials, operation: "check \(what)", message: "cannot stat \(what) \(file.path)")
        }
        guard mode & 0o077 == 0 else {
            throw ZohoError(
                code: .credentials,
                operation: "check \(what)",
                message: "\(what) \(file.path) has mode \(String(mode, radix: 8)); it must not be readable or "
                    + "writable by group or others (chmod 600 \(file.path))"
            )
        }
    }

    /// The permission bits, or nil when the file cannot be examined.
    static func permissions(of file: URL) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let mode = attributes[.posixPermissions] as? NSNumber
        else { return nil }
        return mode.intValue & 0o777
    }

    /// Writes through a temporary file created with mode 0600, then renames it into place, so the secret is never
    /// on disk with wider permissions, not even for a moment.
    static func write(_ data: Data, to file: URL, what: String) throws(ZohoError) {
        let directory = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ZohoError(
                code: .credentials,
                operation: "store \(what)",
                message: "cannot create \(directory.path)",
                underlying: error
            )
        }
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw ZohoError(
                code: .credentials,
                operation: "store \(what)",
                message: "cannot create \(what) in \(directory.path)"
            )
        }
        var ok = fchmod(fd, 0o600) == 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while ok, offset < buffer.count, let base = buffer.baseAddress {
                let n = posixWrite(fd, base + offset, buffer.count - offset)
                if n <= 0 { ok = false } else { offset += n }
            }
        }
        if close(fd) != 0 { ok = false }
        guard ok, rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw ZohoError(
                code: .credentials,
                operation: "store \(what)",
                message: "cannot write \(what) \(file.path)"
            )
        }
    }
}

/// `write(2)`, named apart from the `write(to:)` methods in scope.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
    #else
        return Darwin.write(fd, buffer, count)
    #endif
}
