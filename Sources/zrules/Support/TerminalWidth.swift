import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Console {
    /// The width to cut standard output's lines to: the terminal's columns when standard output is a terminal
    /// (`COLUMNS` when the terminal does not say); nil when it is not one, so files and pipes get every character.
    static var outputWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        // Glibc and Musl import TIOCGWINSZ as Int32, Darwin as UInt; ioctl takes a UInt request.
        let status = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size)
        if status == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }
}
