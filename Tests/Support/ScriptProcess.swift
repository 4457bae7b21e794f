import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the local test servers (`LocalFeedServer`, `LocalSMTPSink`) share: finding python3, a
/// throwaway certificate, reading the script's `PORT n` line, and stopping the process.
enum ScriptProcess {
    /// Why one of these steps failed, in words for the caller's own error.
    struct Failure: Error {
        let reason: String
    }

    static func python3Path() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A self-signed certificate for 127.0.0.1 (and its key), valid for a day, made with
    /// /usr/bin/openssl in `directory` as `cert.pem` and `key.pem`.
    static func makeCertificate(in directory: URL) throws(Failure) -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let log = directory.appendingPathComponent("openssl.txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle: FileHandle
        do { logHandle = try FileHandle(forWritingTo: log) } catch { throw Failure(reason: "\(error)") }
        defer { try? logHandle.close() }

        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        // The name matches 127.0.0.1, so the only thing wrong with the certificate is its issuer.
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
        ]
        openssl.standardInput = FileHandle.nullDevice
        openssl.standardOutput = logHandle
        openssl.standardError = logHandle
        do { try openssl.run() } catch { throw Failure(reason: "\(error)") }
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0,
              FileManager.default.fileExists(atPath: cert), FileManager.default.fileExists(atPath: key)
        else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure(reason: "exit status \(openssl.terminationStatus): \(output.suffix(2000))")
        }
        return (cert, key)
    }

    /// Reads the script's stdout until its `PORT n` line, for at most `deadline` seconds;
    /// `failure` adds what the caller knows (exit status, stderr) to the reason.
    static func readPort(from fd: Int32, deadline: Double, failure: (String) -> String) throws(Failure) -> Int {
        let end = Date().addingTimeInterval(deadline)
        var line = [UInt8]()
        var byte: UInt8 = 0
        while true {
            let remaining = end.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure(reason: failure("no PORT line within \(Int(deadline)) s")) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 1000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { throw Failure(reason: failure("poll: \(errnoText())")) }
            if ready == 0 { continue }
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                Thread.sleep(forTimeInterval: 0.2)  // let the exit status and stderr settle
                throw Failure(reason: failure("stdout closed before a PORT line"))
            }
            if byte != UInt8(ascii: "\n") {
                line.append(byte)
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            line.removeAll()
            if text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)), port > 0 { return port }
            throw Failure(reason: failure("unexpected stdout line \"\(text)\""))
        }
    }

    /// Starts `python arguments…` with its standard error in `work/stderr.txt` and waits (10 s at
    /// most) for its `PORT n` line; a script that does not get that far is stopped.
    static func start(python: String, arguments: [String], work: URL, reaperName: String) throws -> RunningScript {
        let stderrPath = work.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        let stderrHandle = try FileHandle(forWritingTo: stderrPath)
        defer { try? stderrHandle.close() }
        let stdoutPipe = Pipe()
        let stdinPipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrHandle
        try process.run()
        try? stdinPipe.fileHandleForReading.close()
        try? stdoutPipe.fileHandleForWriting.close()
        defer { try? stdoutPipe.fileHandleForReading.close() }
        do {
            let port = try readPort(from: stdoutPipe.fileHandleForReading.fileDescriptor, deadline: 10) {
                let stderr = (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? ""
                return "\($0); exit status \(process.isRunning ? "(still running)" : "\(process.terminationStatus)")"
                    + "; stderr: \(stderr.suffix(4000))"
            }
            return RunningScript(process: process, stdin: stdinPipe, port: port, stderrPath: stderrPath, work: work, reaperName: reaperName)
        } catch {
            terminate(process, reaperName: reaperName)
            throw error
        }
    }

    /// SIGTERM now; the wait for the exit (and SIGKILL after 2 s) happens on a thread of its own,
    /// so that a caller on Swift's cooperative pool never blocks the threads Foundation needs to
    /// reap the child (two tests stopping servers at once could otherwise hang the run).
    static func terminate(_ process: Process, reaperName: String) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        process.terminate()  // SIGTERM
        let reaper = Thread {
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        reaper.name = reaperName
        reaper.start()
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// A script started by ``ScriptProcess/start(python:arguments:work:reaperName:)``, listening on
/// `port`; ``stop()`` ends it once and removes its work directory.
final class RunningScript: Sendable {
    let port: Int
    let stderrPath: URL
    private let process: Process
    /// Held open for the script's life: it exits when it reads end of file.
    private let stdin: Pipe
    private let work: URL
    private let reaperName: String
    private let stopped = Mutex(false)

    fileprivate init(process: Process, stdin: Pipe, port: Int, stderrPath: URL, work: URL, reaperName: String) {
        self.process = process
        self.stdin = stdin
        self.port = port
        self.stderrPath = stderrPath
        self.work = work
        self.reaperName = reaperName
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// SIGTERM, then SIGKILL if the script is still there after 2 s. Idempotent.
    func stop() {
        let first = stopped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        ScriptProcess.terminate(process, reaperName: reaperName)
        try? stdin.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: work)
    }
}
