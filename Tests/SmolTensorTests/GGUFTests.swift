import Foundation
import SmolTensor
import Testing

@Suite("GGUF: files written by the gguf package")
struct GGUFTests {
    static let url = Fixtures.url("gguf/types.gguf")

    @Test func readsEveryMetadataType() throws {
        let file = try GGUFFile(url: Self.url)
        #expect(file.version == 3)
        #expect(file.string("general.architecture") == "llama")
        let data = try Data(contentsOf: Fixtures.url("gguf/types_metadata.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(file.int("test.u8") == expected["test.u8"] as? Int)
        #expect(file.int("test.i8") == -100 && file.int("test.u16") == 60000 && file.int("test.i16") == -30000)
        #expect(file.int("test.u32") == 4_000_000_000 && file.int("test.i32") == -2_000_000_000)
        #expect(file.int("test.u64") == (1 << 40) + 1 && file.int("test.i64") == -(1 << 40))
        #expect(file.double("test.f32") == 0.5 && file.double("test.f64") == 1.25e-7)
        #expect(file.metadata["test.bool"] == .bool(true))
        #expect(file.string("test.string") == expected["test.string"] as? String)
        #expect(file.strings("test.strings") == ["a", "", "<|im_start|>"])
        #expect(file.ints("test.ints") == [1, -2, 3])
    }

    /// Every tensor type dequantizes to exactly what the gguf package computes.
    @Test(arguments: ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q4_k", "q5_k", "q6_k"])
    func dequantizesLikeGGML(_ name: String) throws {
        let file = try GGUFFile(url: Self.url)
        let expected = try SafetensorsFile(url: Fixtures.url("gguf/types_expected.safetensors")).tensor(named: name)
        let tensor = try file.tensor(named: name)
        #expect(tensor.shape == expected.shape)
        let got = try tensor.asFloat32().floats().map(\.bitPattern)
        let want = try expected.floats().map(\.bitPattern)
        let mismatches = zip(got, want).filter { $0 != $1 }.count
        #expect(mismatches == 0, "\(mismatches) of \(want.count) values differ")
    }

    static func error(ofMutated mutate: (inout [UInt8]) -> Void) throws -> WeightsError? {
        var bytes = try [UInt8](Data(contentsOf: url))
        mutate(&bytes)
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).gguf")
        try Data(bytes).write(to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        do { _ = try GGUFFile(url: temporary); return nil } catch { return error }
    }

    static func isInvalidGGUF(_ error: WeightsError?, containing text: String) -> Bool {
        guard case let .invalidGGUF(_, reason)? = error else { return false }
        return reason.contains(text)
    }

    @Test func malformedFilesGiveSpecificErrors() throws {
        #expect(Self.isInvalidGGUF(try Self.error { $0[0] = 0x58 }, containing: "magic"))
        #expect(Self.isInvalidGGUF(try Self.error { $0[4] = 9 }, containing: "version 9"))
        #expect(Self.isInvalidGGUF(try Self.error { $0 = Array($0.prefix(300)) }, containing: "end"))
        // A forged tensor count far beyond what the file could hold.
        #expect(Self.isInvalidGGUF(try Self.error { $0[15] = 0x7f }, containing: "cannot fit"))
        // Cut the data section: the last tensors now end past the file.
        let cut = try Self.error { $0.removeLast(600) }
        guard case .offsetsPastEOF? = cut else { Issue.record("expected offsetsPastEOF, got \(String(describing: cut))"); return }
        #expect(throws: WeightsError.fileNotFound(path: "/nonexistent.gguf")) {
            try GGUFFile(url: URL(fileURLWithPath: "/nonexistent.gguf"))
        }
    }
}
