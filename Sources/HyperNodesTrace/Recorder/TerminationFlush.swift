import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Flushes every live recorder when the process receives SIGINT or SIGTERM,
/// then lets the signal do what it does by default (end the process).
///
/// Installed once, by the first recorder that asks for it. The flush waits
/// at most two seconds, so a stalled disk cannot keep Ctrl-C from working.
enum TerminationFlush {
    private static let recorders = Mutex<[ObjectIdentifier: WeakRecorder]>([:])
    private static let sources = Mutex<[any DispatchSourceSignal]>([])
    static let signals: [Int32] = [SIGINT, SIGTERM]

    private struct WeakRecorder: @unchecked Sendable {
        weak var recorder: TraceRecorder?
    }

    static func register(_ recorder: TraceRecorder) {
        recorders.withLock { $0[ObjectIdentifier(recorder)] = WeakRecorder(recorder: recorder) }
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            let queue = DispatchQueue(label: "hypernodes.trace.signals")
            for signalNumber in signals {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { terminate(with: signalNumber) }
                source.resume()
                sources.append(source)
            }
        }
    }

    static func unregister(_ recorder: TraceRecorder) {
        _ = recorders.withLock { $0.removeValue(forKey: ObjectIdentifier(recorder)) }
    }

    private static func terminate(with signalNumber: Int32) {
        let live = recorders.withLock { $0.values.compactMap(\.recorder) }
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for recorder in live { recorder.flush() }
            done.signal()
        }
        thread.start()
        _ = done.wait(timeout: .now() + 2)
        // Default behaviour again, then the signal to this very thread, which
        // (like every Dispatch thread) blocks it: unblock it here first.
        signal(signalNumber, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signalNumber)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signalNumber)
        // Not reached unless the signal was caught elsewhere meanwhile: end
        // the process the way a shell reports a death by that signal.
        _exit(128 + signalNumber)
    }
}
