import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something that must finish its work before a SIGINT or SIGTERM ends the
/// process: a recorder writes what is queued, a live server removes its
/// socket and tells its clients the stream ends.
protocol TerminationParticipant: AnyObject, Sendable {
    /// Does what must be done before the process ends; may take a moment.
    func prepareForTermination()
}

/// Lets every live recorder and live server finish (flush, remove its
/// socket) when the process receives SIGINT or SIGTERM, then lets the signal
/// do what it does by default (end the process).
///
/// Installed once, by the first participant that asks for it, and only for a
/// signal whose disposition is still the default: a program that handles or
/// ignores SIGINT or SIGTERM itself keeps its behaviour (and should call
/// ``TraceRecorder/flush()`` or ``LiveServer/close()`` from its own handler).
/// The work waits at most two seconds, so a stalled disk or client cannot keep
/// Ctrl-C from working.
enum TerminationFlush {
    private static let recorders = Mutex<[ObjectIdentifier: WeakRecorder]>([:])
    private static let installation = Mutex<(done: Bool, sources: [any DispatchSourceSignal])>((false, []))
    static let signals: [Int32] = [SIGINT, SIGTERM]

    private struct WeakRecorder: @unchecked Sendable {
        weak var recorder: (any TerminationParticipant)?
    }

    static func register(_ recorder: any TerminationParticipant) {
        recorders.withLock { $0[ObjectIdentifier(recorder)] = WeakRecorder(recorder: recorder) }
        installation.withLock { installation in
            guard !installation.done else { return }
            installation.done = true
            installation.sources = signals.compactMap { makeSource(for: $0) }
        }
    }

    private static let queue = DispatchQueue(label: "hypernodes.trace.signals")

    /// A running source that flushes and then ends the process on
    /// `signalNumber`, or `nil` when the process already handles or ignores
    /// that signal.
    static func makeSource(for signalNumber: Int32) -> (any DispatchSourceSignal)? {
        guard hasDefaultDisposition(signalNumber) else { return nil }
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
        source.setEventHandler { terminate(with: signalNumber) }
        source.resume()
        return source
    }

    /// Whether nothing in the process handles or ignores `signalNumber` yet.
    static func hasDefaultDisposition(_ signalNumber: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signalNumber, nil, &current) == 0 else { return false }
        #if canImport(Glibc)
            return current.__sigaction_handler.sa_handler == nil
        #else
            return current.__sigaction_u.__sa_handler == nil
        #endif
    }

    static func unregister(_ recorder: any TerminationParticipant) {
        _ = recorders.withLock { $0.removeValue(forKey: ObjectIdentifier(recorder)) }
    }

    private static func terminate(with signalNumber: Int32) {
        let live = recorders.withLock { $0.values.compactMap(\.recorder) }
        // Each on a thread of its own, so one slow participant does not hold up the others.
        let done = DispatchGroup()
        for participant in live {
            done.enter()
            Thread {
                participant.prepareForTermination()
                done.leave()
            }.start()
        }
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
