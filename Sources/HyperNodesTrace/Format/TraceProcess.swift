import Foundation

/// The process that recorded a trace, as written in its header.
public struct TraceProcess: Sendable, Hashable {
    /// The process id.
    public var pid: Int
    /// The executable's path.
    public var executable: String
    /// The command-line arguments after the executable.
    public var arguments: [String]
    /// The machine's host name.
    public var hostName: String

    /// Creates a process description.
    public init(pid: Int, executable: String, arguments: [String], hostName: String) {
        self.pid = pid
        self.executable = executable
        self.arguments = arguments
        self.hostName = hostName
    }

    /// The process this code runs in.
    public static let current: TraceProcess = {
        let arguments = CommandLine.arguments
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? arguments.first ?? ""
        return TraceProcess(
            pid: Int(ProcessInfo.processInfo.processIdentifier),
            executable: executable,
            arguments: Array(arguments.dropFirst()),
            hostName: ProcessInfo.processInfo.hostName)
    }()
}
