import Foundation
import SmolTensor
import Testing

/// Asserts equal shapes and, element by element, `|actual − expected| ≤ tolerance × max(|expected|, 1)`:
/// relative for large values, absolute near zero, so one huge element cannot hide
/// errors in the small ones.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(actual.shape == expected.shape, "shape \(actual.shape) ≠ \(expected.shape)", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    let a = try actual.floats(), e = try expected.floats()
    var worst: (excess: Float, index: Int)? = nil
    for i in 0..<a.count where a[i] != e[i] {
        let excess = abs(a[i] - e[i]) / max(abs(e[i]), 1)
        if !(excess <= tolerance), worst == nil || !(excess <= worst!.excess) { worst = (excess, i) }
    }
    if let worst {
        Issue.record(
            "element \(worst.index): got \(a[worst.index]), want \(e[worst.index]) (scaled error \(worst.excess) > \(tolerance))",
            sourceLocation: sourceLocation)
    }
}

/// The largest `|actual − expected| / max(|expected|, 1)` over all elements (the
/// quantity ``expectClose(_:_:tolerance:sourceLocation:)`` bounds), for reporting
/// how much margin a golden test has. Infinite when the shapes differ.
public func maxScaledError(_ actual: Tensor, _ expected: Tensor) throws -> Float {
    guard actual.shape == expected.shape else { return .infinity }
    let a = try actual.floats(), e = try expected.floats()
    var worst: Float = 0
    for i in 0..<a.count where a[i] != e[i] {
        let error = abs(a[i] - e[i]) / max(abs(e[i]), 1)
        // A NaN error must not hide: report it as infinite.
        worst = max(worst, error.isNaN ? .infinity : error)
    }
    return worst
}
