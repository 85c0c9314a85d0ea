import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession with what the Hub protocol needs and the async convenience
/// methods do not give on every platform: redirects that can be refused (a
/// HEAD must see the Hub's 302 and its headers), bodies streamed to a callback
/// as they arrive, the token kept off other hosts, and task cancellation.
struct HTTPTransport: Sendable {
    let timeout: Double

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
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        let delegate = TransferDelegate(followRedirects: followRedirects, onResponse: onResponse, onData: onData)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        var request = request
        request.timeoutInterval = timeout
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(task, continuation: continuation)
            }
        } onCancel: {
            task.cancel()
        }
    }
}

/// Collects a body across delegate callbacks.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var value: Data { lock.withLock { data } }
}

/// One task's delegate: forwards the response and body, decides on redirects and
/// resumes the continuation once, with the response or the first error.
private final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let followRedirects: Bool
    private let onResponse: @Sendable (HTTPTransport.Response) throws -> Void
    private let onData: @Sendable (Data) throws -> Void
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPTransport.Response, Error>?
    private var response: HTTPTransport.Response?
    private var failure: Error?

    init(followRedirects: Bool, onResponse: @escaping @Sendable (HTTPTransport.Response) throws -> Void,
         onData: @escaping @Sendable (Data) throws -> Void) {
        self.followRedirects = followRedirects
        self.onResponse = onResponse
        self.onData = onData
    }

    func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<HTTPTransport.Response, Error>) {
        lock.withLock { self.continuation = continuation }
        task.resume()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        guard followRedirects else { return completionHandler(nil) }
        var next = request
        if let from = task.currentRequest?.url, let to = request.url, !HTTPTransport.sameOrigin(from, to) {
            next.setValue(nil, forHTTPHeaderField: "authorization")
        }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse, let url = http.url else {
            fail(URLError(.badServerResponse))
            dataTask.cancel()
            return completionHandler(.cancel)
        }
        var headers: [String: String] = [:]
        for case let (key as String, value as String) in http.allHeaderFields { headers[key] = value }
        let received = HTTPTransport.Response(status: http.statusCode, url: url, headers: headers)
        lock.withLock { self.response = received }
        do {
            try onResponse(received)
            completionHandler(.allow)
        } catch {
            fail(error)
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard lock.withLock({ failure == nil }) else { return }
        do {
            try onData(data)
        } catch {
            fail(error)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
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
