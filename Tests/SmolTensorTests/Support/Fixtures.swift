import Foundation
import SmolTensor
import Testing

/// Locates the committed fixtures (copied into the test bundle).
enum Fixtures {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// An op golden written by Scripts/reference/make_op_goldens.py.
    static func opCase(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(url: url("ops/\(name).safetensors"))
    }
}

extension SafetensorsFile {
    /// A float metadata parameter of a golden case.
    func parameter(_ key: String) throws -> Float {
        let text = try #require(metadata[key], "metadata key \(key) missing")
        return try #require(Float(text), "metadata \(key)=\(text) is not a number")
    }

    func intParameter(_ key: String) throws -> Int {
        let text = try #require(metadata[key], "metadata key \(key) missing")
        return try #require(Int(text), "metadata \(key)=\(text) is not an integer")
    }
}

/// Asserts equal shapes and, element by element, `|actual − expected| ≤ tolerance × max(|expected|, 1)`:
/// relative for large values, absolute near zero, so one huge element cannot hide
/// errors in the small ones.
func expectClose(
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
