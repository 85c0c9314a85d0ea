import Foundation
import SmolConnector
import SmolTensor
import Testing

@Suite("Connector: pixel shuffle and projection")
struct ConnectorTests {
    static func golden(_ scale: Int) throws -> SafetensorsFile {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try SafetensorsFile(url: url.appendingPathComponent("connector_s\(scale).safetensors"))
    }

    /// Each patch carries a distinct marker (its index in the high digits, the
    /// channel in the low ones), so every value's destination is checked exactly.
    @Test(arguments: [1, 2, 3, 4])
    func markerValuesLandWhereTheFormulaSays(scale: Int) throws {
        let (batch, side, width) = (2, scale * 3, 3)
        let sequence = side * side
        var values: [Float] = []
        for b in 0..<batch { for p in 0..<sequence { for e in 0..<width { values.append(Float(b * 100_000 + p * 10 + e)) } } }
        let shuffled = try pixelShuffle(Tensor(shape: [batch, sequence, width], floats: values), scaleFactor: scale)
        let grid = side / scale
        #expect(shuffled.shape == [batch, grid * grid, width * scale * scale])
        let out = try shuffled.floats()
        for b in 0..<batch { for i in 0..<grid { for j in 0..<grid {
            for dh in 0..<scale { for dw in 0..<scale { for e in 0..<width {
                let token = i * grid + j
                let channel = (dh * scale + dw) * width + e
                let patch = (i * scale + dh) * side + (j * scale + dw)
                let got = out[(b * grid * grid + token) * width * scale * scale + channel]
                if got != Float(b * 100_000 + patch * 10 + e) {
                    Issue.record("b\(b) token \(token) channel \(channel): \(got)")
                    return
                }
            } } }
        } } }
    }

    @Test(arguments: [2, 3, 4])
    func matchesTransformers(scale: Int) throws {
        let g = try Self.golden(scale)
        #expect(g.metadata["scale_factor"] == "\(scale)")
        let patches = try g.tensor(named: "patches")
        let shuffled = try pixelShuffle(patches, scaleFactor: scale)
        #expect(try shuffled.floats() == g.tensor(named: "shuffled").floats())
        let connector = try Connector(scaleFactor: scale, projection: g.tensor(named: "weight"))
        let output = try connector(patches)
        let expected = try g.tensor(named: "expected")
        #expect(output.shape == expected.shape)
        let (a, e) = (try output.floats(), try expected.floats())
        let worst = zip(a, e).map { abs($0 - $1) / max(abs($1), 1) }.max() ?? 0
        #expect(worst <= 1e-5, "scaled error \(worst)")
    }

    @Test func loadsAndValidatesTheCheckpointWeight() throws {
        let g = try Self.golden(4)
        let weight = try g.tensor(named: "weight")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("connector-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsWriter.write([(Connector.weightName, weight)], to: url)
        let file = try SafetensorsFile(url: url)
        let connector = try Connector(weights: file, scaleFactor: 4, visionHiddenSize: 3, textHiddenSize: 6)
        #expect(connector.visionHiddenSize == 3 && connector.textHiddenSize == 6)
        #expect(throws: WeightsError.unexpectedShape(name: Connector.weightName, expected: [6, 27], actual: [6, 48])) {
            try Connector(weights: file, scaleFactor: 3, visionHiddenSize: 3, textHiddenSize: 6)
        }
    }

    @Test func rejectsGridsThatDoNotFold() throws {
        #expect(throws: TensorError.self) { try pixelShuffle(Tensor(zeros: [1, 15, 2]), scaleFactor: 1) }
        #expect(throws: TensorError.self) { try pixelShuffle(Tensor(zeros: [1, 36, 2]), scaleFactor: 4) }
        #expect(throws: TensorError.self) { try pixelShuffle(Tensor(zeros: [36, 2]), scaleFactor: 2) }
        let connector = try Connector(scaleFactor: 2, projection: Tensor(zeros: [5, 8]))
        #expect(throws: TensorError.self) { try connector(Tensor(zeros: [1, 16, 3])) }
    }
}
