import Foundation
import SmolTensor
import Testing

@Suite("safetensors: files written by the Python library")
struct SafetensorsReadWriteTests {
    @Test func readsEveryDType() throws {
        let file = try SafetensorsFile(url: Fixtures.url("safetensors/dtypes.safetensors"))
        let expected = try ExpectedTensors.load("safetensors/dtypes.json")
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.tensorNames) == Set(expected.tensors.keys))
        for (name, entry) in expected.tensors {
            let tensor = try file.tensor(named: name)
            #expect(tensor.dtype.safetensorsName == entry.dtype, "\(name)")
            #expect(tensor.shape == entry.shape, "\(name)")
            #expect(try exactValues(tensor) == entry.values, "\(name)")
        }
    }

    @Test func tensorsAreZeroCopyViews() throws {
        let file = try SafetensorsFile(url: Fixtures.url("safetensors/dtypes.safetensors"))
        #expect(try file.tensor(named: "f32").isMapped)
        #expect(try file.tensor(named: "i64").isMapped)
        // Mutation copies instead of writing into the read-only mapping.
        var t = try file.tensor(named: "f32")
        t.withUnsafeMutableFloats { $0[0] = 42 }
        #expect(!t.isMapped)
        #expect(try file.tensor(named: "f32").floats()[0] != 42)
    }

    @Test(arguments: ["sharded", "sharded/model.safetensors.index.json"])
    func readsShardedCheckpoint(_ path: String) throws {
        let checkpoint = try SafetensorsCheckpoint(url: Fixtures.url("safetensors/\(path)"))
        let expected = try ExpectedTensors.load("safetensors/sharded/expected.json")
        #expect(checkpoint.files.count == 2)
        #expect(Set(checkpoint.tensorNames) == Set(expected.tensors.keys))
        #expect(checkpoint.metadata == expected.metadata)
        for (name, entry) in expected.tensors {
            let tensor = try checkpoint.tensor(named: name)
            #expect(tensor.shape == entry.shape, "\(name)")
            #expect(try exactValues(tensor) == entry.values, "\(name)")
        }
        #expect(throws: WeightsError.missingTensor(name: "nope", source: checkpoint.sourceDescription)) {
            try checkpoint.tensor(named: "nope")
        }
    }

    @Test func singleFileCheckpoint() throws {
        let checkpoint = try SafetensorsCheckpoint(url: Fixtures.url("safetensors/dtypes.safetensors"))
        #expect(checkpoint.files.count == 1)
        let expected = try ExpectedTensors.load("safetensors/dtypes.json")
        let i64 = try checkpoint.tensor(named: "i64", shape: [3])
        #expect(try exactValues(i64) == expected.tensors["i64"]?.values)
        #expect(throws: WeightsError.unexpectedShape(name: "i64", expected: [4], actual: [3])) {
            try checkpoint.tensor(named: "i64", shape: [4])
        }
    }

    /// Our writer reproduces the reference library's bytes exactly.
    @Test(arguments: ["writer_reference", "writer_padded"])
    func writerMatchesReferenceBytes(_ name: String) throws {
        let expected = try ExpectedTensors.load("safetensors/\(name).json")
        let tensors = try expected.tensors.map { (name: $0.key, tensor: try $0.value.tensor()) }
        let bytes = try SafetensorsWriter.serialize(tensors, metadata: expected.metadata)
        let reference = try [UInt8](Data(contentsOf: Fixtures.url("safetensors/\(name).safetensors")))
        #expect(bytes == reference)
    }

    @Test func writeThenReadRoundTrips() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let floats = try Tensor(shape: [3, 4], floats: (0..<12).map { Float($0) * 0.25 - 1 })
        let tensors: [(name: String, tensor: Tensor)] = [
            ("w", floats),
            ("w_bf16", try floats.converted(to: .bfloat16)),
            ("w_f16", try floats.converted(to: .float16)),
            ("ids", try Tensor(shape: [2], int64s: [7, -9])),
            ("mask", try Tensor(shape: [3], dtype: .bool, copying: [UInt8(1), 0, 1])),
            ("scalar", try Tensor(shape: [], floats: [3.5])),
        ]
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: url)
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        for (name, tensor) in tensors {
            let read = try file.tensor(named: name)
            #expect(read.dtype == tensor.dtype && read.shape == tensor.shape, "\(name)")
            #expect(try exactValues(read) == exactValues(tensor), "\(name)")
        }
    }

    @Test func writerRejectsDuplicateNames() throws {
        let t = try Tensor(shape: [1], floats: [1])
        #expect(throws: WeightsError.self) { try SafetensorsWriter.serialize([("a", t), ("a", t)]) }
    }
}
