#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a launched program ended.
public enum ProgramExit: Sendable, Hashable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)

    /// The status a shell reports: the exit status, or 128 + the signal's number.
    public var status: Int32 {
        switch self {
        case .exited(let status): return status
        case .signalled(let signalNumber): return 128 + signalNumber
        }
    }

    /// `status 3`, or `status 130, SIGINT` for a signal.
    public var description: String {
        switch self {
        case .exited(let status): return "status \(status)"
        case .signalled(let signalNumber): return "status \(status), \(Self.signalName(signalNumber))"
        }
    }

    /// The decoded `waitpid` status `raw`, or `nil` when it says the process is still running
    /// (stopped or continued).
    public init?(waitStatus raw: Int32) {
        let low = raw & 0x7F
        if low == 0 {
            self = .exited((raw >> 8) & 0xFF)
        } else if low != 0x7F && raw != 0xFFFF {
            self = .signalled(low)
        } else {
            return nil
        }
    }

    /// `SIGINT` for 2, `signal 40` for a number without a usual name.
    public static func signalName(_ signalNumber: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        ]
        return names[signalNumber] ?? "signal \(signalNumber)"
    }
}
