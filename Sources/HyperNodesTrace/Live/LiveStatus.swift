/// What a live server says about its process: one `live_status` line, the
/// answer to a `status` request and the first line of a stream.
public struct LiveStatus: Sendable, Hashable {
    /// The process id.
    public var pid: Int32
    /// The executable's path.
    public var program: String
    /// The command-line arguments after the executable.
    public var arguments: [String]
    /// When the live server started, in nanoseconds since the Unix epoch.
    public var started: UInt64
    /// The number of clients streaming from the server.
    public var clients: Int
    /// The pid of the `hypernodes monitor` that launched the process, when one did
    /// (`HYPERNODES_LIVE_LAUNCHER`).
    public var launcher: Int32?
    /// The runs the server knows: open runs and the most recent finished ones.
    public var runs: [Run]

    /// One run of the process.
    public struct Run: Sendable, Hashable {
        /// The run id.
        public var runID: UInt64
        /// The outermost pipeline's name.
        public var pipeline: String
        /// Whether the run has ended.
        public var finished: Bool
        /// When the run started, in nanoseconds since the Unix epoch.
        public var startTime: UInt64

        /// Creates a run description.
        public init(runID: UInt64, pipeline: String, finished: Bool, startTime: UInt64) {
            self.runID = runID
            self.pipeline = pipeline
            self.finished = finished
            self.startTime = startTime
        }
    }

    /// Creates a status.
    public init(
        pid: Int32, program: String, arguments: [String], started: UInt64, clients: Int, launcher: Int32?,
        runs: [Run]
    ) {
        self.pid = pid
        self.program = program
        self.arguments = arguments
        self.started = started
        self.clients = clients
        self.launcher = launcher
        self.runs = runs
    }
}
