import Foundation
import SmolTensor
import Testing
@testable import SmolVision

/// The committed vision fixtures (copied into the test bundle).
enum VisionFixtures {
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// An RGB image from a uint8 `[H, W, 3]` tensor.
    static func image(_ tensor: Tensor) throws -> Image {
        #expect(tensor.rank == 3 && tensor.shape[2] == 3)
        return try Image(width: tensor.shape[1], height: tensor.shape[0], rgb: tensor.ints().map { UInt8($0) })
    }
}
