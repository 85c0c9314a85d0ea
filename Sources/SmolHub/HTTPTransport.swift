import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession with what the Hub protocol needs and the async convenience
/// methods do not give on every platform: redirects that can be refused (a
/// HEAD must see the Hub's 302 and its headers), bodies streamed to a callback
/// as they arrive, the token kept off other hosts, and task cancellation.
///
/// One session serves all of a client's requests, so connections to the Hub
/// are reused; each task's callbacks go to its own ``TransferDelegate``.
final class HTTPTransport: Sendable {
    private let session: URLSession
    private let router: SessionRouter

    init(timeout: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        router = SessionRouter()
        session = URLSession(configuration: configuration, delegate: router, delegateQueue: nil)
    }

    deinit {
        // The session keeps its delegate until invalidated.
        session.finishTasksAndInvalidate()
    }

    struct Response: Sendable {
        let status: Int
        let url: URL
        let headers: [String: String]

        /// A header by case-insensitive name.
        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.key.lowercased() == lower }?.value
        }
    }

    /// A request whose body (small: an API answer) is returned whole. With
    /// `followRedirects` false a 3xx comes back as the response.
    func fetch(_ request: URLRequest, followRedirects: Bool) async throws -> (Response, Data) {
        let body = LockedData()
        let response = try await perform(request, followRedirects: followRedirects, onResponse: { _ in }) { data in
            body.append(data)
        }
        return (response, body.value)
    }

    /// A request whose body goes to `onData` piece by piece, after `onResponse` has
    /// seen the status and headers. Redirects are followed; the `authorization`
    /// header is dropped when one leaves the request's origin. Throwing from a
    /// callback cancels the transfer and rethrows.
    func stream(_ request: URLRequest, onResponse: @escaping @Sendable (Response) throws -> Void,
                onData: @escaping @Sendable (Data) throws -> Void) async throws -> Response {
        try await perform(request, followRedirects: true, onResponse: onResponse, onData: onData)
    }

    private func perform(_ request: URLRequest, followRedirects: Bool, onResponse: @escaping @Sendable (Response) throws -> Void,
                         onData: @escaping @Sendable (Data) throws -> Void) async throws -> Response {
        let task = session.dataTask(with: request)
        let delegate = TransferDelegate(followRedirects: followRedirects, onResponse: onResponse, onData: onData)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(continuation)
                router.register(delegate, for: task)
                task.resume()
            }
        } onCancel: {
            if delegate.cancelNowOrAfterRedirect() { task.cancel() }
        }
    }
}

/// The session's delegate: hands each task's callbacks to that task's delegate.
private final class SessionRouter: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var delegates: [Int: TransferDelegate] = [:]

    func register(_ delegate: TransferDelegate, for task: URLSessionTask) {
        lock.withLock { delegates[task.taskIdentifier] = delegate }
    }

    private func delegate(_ task: URLSessionTask) -> TransferDelegate? {
        lock.withLock { delegates[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        guard let delegate = delegate(task), delegate.followRedirects else { return completionHandler(nil) }
        delegate.redirectStarted()
        var next = request
        if let from = task.currentRequest?.url, let to = request.url, !HTTPTransport.sameOrigin(from, to) {
            next.setValue(nil, forHTTPHeaderField: "authorization")
        }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let delegate = delegate(dataTask), !delegate.redirectEndedWithCancel(), delegate.received(response) else {
            dataTask.cancel()
            return completionHandler(.cancel)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if delegate(dataTask)?.received(data) == false { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let delegate = lock.withLock { delegates.removeValue(forKey: task.taskIdentifier) }
        delegate?.completed(error)
    }
}

/// Collects a body across delegate callbacks.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var value: Data { lock.withLock { data } }
}

/// One task's state: forwards the response and body to the caller's callbacks
/// and resumes the continuation once, with the response or the first error.
private final class TransferDelegate: @unchecked Sendable {
    let followRedirects: Bool
    private let onResponse: @Sendable (HTTPTransport.Response) throws -> Void
    private let onData: @Sendable (Data) throws -> Void
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPTransport.Response, Error>?
    private var response: HTTPTransport.Response?
    private var failure: Error?
    /// swift-corelibs-foundation traps when a task is cancelled while its redirect callback is
    /// in flight ("Received callback for HTTP redirection, but we're not waiting for it"), so a
    /// cancel that arrives then waits for the redirected response.
    private var redirecting = false
    private var cancelWanted = false

    init(followRedirects: Bool, onResponse: @escaping @Sendable (HTTPTransport.Response) throws -> Void,
         onData: @escaping @Sendable (Data) throws -> Void) {
        self.followRedirects = followRedirects
        self.onResponse = onResponse
        self.onData = onData
    }

    func redirectStarted() {
        lock.withLock { redirecting = true }
    }

    /// Whether the task may be cancelled now; otherwise the cancel happens at the next response.
    func cancelNowOrAfterRedirect() -> Bool {
        lock.withLock {
            if redirecting { cancelWanted = true }
            return !redirecting
        }
    }

    /// Called with each response: the redirect (if any) is over; true when a cancel waited for it.
    func redirectEndedWithCancel() -> Bool {
        lock.withLock {
            redirecting = false
            if cancelWanted && failure == nil { failure = CancellationError() }
            return cancelWanted
        }
    }

    func start(_ continuation: CheckedContinuation<HTTPTransport.Response, Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Whether the transfer goes on.
    func received(_ response: URLResponse) -> Bool {
        guard let http = response as? HTTPURLResponse, let url = http.url else {
            fail(URLError(.badServerResponse))
            return false
        }
        var headers: [String: String] = [:]
        for case let (key as String, value as String) in http.allHeaderFields { headers[key] = value }
        let received = HTTPTransport.Response(status: http.statusCode, url: url, headers: headers)
        lock.withLock { self.response = received }
        do {
            try onResponse(received)
            return true
        } catch {
            fail(error)
            return false
        }
    }

    /// Whether the transfer goes on.
    func received(_ data: Data) -> Bool {
        guard lock.withLock({ failure == nil }) else { return false }
        do {
            try onData(data)
            return true
        } catch {
            fail(error)
            return false
        }
    }

    func completed(_ error: Error?) {
        let (continuation, result): (CheckedContinuation<HTTPTransport.Response, Error>?, Result<HTTPTransport.Response, Error>) = lock.withLock {
            let continuation = self.continuation
            self.continuation = nil
            if let failure { return (continuation, .failure(failure)) }
            if let error { return (continuation, .failure(error)) }
            if let response { return (continuation, .success(response)) }
            return (continuation, .failure(URLError(.badServerResponse)))
        }
        continuation?.resume(with: result)
    }

    private func fail(_ error: Error) {
        lock.withLock { if failure == nil { failure = error } }
    }
}

extension HTTPTransport {
    /// Same scheme, host and port (the default port made explicit).
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        origin(a) == origin(b)
    }

    static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : 0)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }

    /// The URL-loading error code, for a `URLError` or (as Linux reports a broken
    /// transfer) an `NSError` of `NSURLErrorDomain`.
    static func urlErrorCode(_ error: Error) -> Int? {
        if let error = error as? URLError { return error.errorCode }
        let error = error as NSError
        return error.domain == NSURLErrorDomain ? error.code : nil
    }

    static func isCancellation(_ error: Error) -> Bool {
        error is CancellationError || urlErrorCode(error) == NSURLErrorCancelled
    }

    /// Whether a failed request is worth resuming: any connection failure but a
    /// cancellation or a request that can never work (bad URL, refused certificate).
    static func isTransient(_ error: Error) -> Bool {
        guard let code = urlErrorCode(error) else { return false }
        let permanent = [
            NSURLErrorCancelled, NSURLErrorBadURL, NSURLErrorUnsupportedURL, NSURLErrorUserAuthenticationRequired,
            NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
            NSURLErrorServerCertificateHasUnknownRoot, NSURLErrorServerCertificateNotYetValid,
            NSURLErrorClientCertificateRejected, NSURLErrorClientCertificateRequired, NSURLErrorAppTransportSecurityRequiresSecureConnection,
        ]
        return !permanent.contains(code)
    }
}
