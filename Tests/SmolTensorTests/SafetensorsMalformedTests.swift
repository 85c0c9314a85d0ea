import Foundation
import SmolTensor
import Testing

/// Each malformed file yields its own specific error, never a crash or an
/// out-of-bounds read.
@Suite("safetensors: malformed files")
struct SafetensorsMalformedTests {
    /// A file with `header` as its JSON and `dataBytes` zero bytes of data.
    static func file(header: String, dataBytes: Int, declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        var length = declaredLength ?? UInt64(json.count)
        var out: [UInt8] = []
        for _ in 0..<8 { out.append(UInt8(length & 0xff)); length >>= 8 }
        return out + json + [UInt8](repeating: 0, count: dataBytes)
    }

    /// Opens `bytes` and returns the error it raised.
    static func error(of bytes: [UInt8]) -> (WeightsError?, String) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("malformed-\(UUID()).safetensors")
        do { try Data(bytes).write(to: url) } catch { return (nil, "") }
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try SafetensorsFile(url: url)
            return (nil, url.path)
        } catch {
            return (error, url.path)
        }
    }

    @Test func emptyFile() {
        let (error, path) = Self.error(of: [])
        #expect(error == .truncatedHeader(file: path, fileSize: 0))
    }

    @Test func truncatedLengthPrefix() {
        let (error, path) = Self.error(of: [16, 0, 0, 0, 0])
        #expect(error == .truncatedHeader(file: path, fileSize: 5))
    }

    @Test func headerLengthPastEOF() {
        let bytes = Self.file(header: "{}", dataBytes: 0, declaredLength: 64)
        let (error, path) = Self.error(of: bytes)
        #expect(error == .headerLengthPastEOF(file: path, headerLength: 64, fileSize: 10))
    }

    @Test func headerTooLarge() {
        let bytes = Self.file(header: "{}", dataBytes: 0, declaredLength: 1 << 40)
        let (error, path) = Self.error(of: bytes)
        #expect(error == .headerTooLarge(file: path, headerLength: 1 << 40))
    }

    @Test func headerCutShort() {
        // The header's last bytes are missing: the JSON ends inside a string.
        let bytes = Self.file(header: #"{"a":{"dtype":"F3"#, dataBytes: 0)
        guard case .invalidHeader? = Self.error(of: bytes).0 else {
            Issue.record("expected invalidHeader, got \(String(describing: Self.error(of: bytes).0))")
            return
        }
    }

    @Test(arguments: [#"{"a": [1, 2,]}"#, "not json", #"{"a":1}{}"#, "[1, 2]", "\"text\""])
    func badJSON(_ header: String) {
        guard case .invalidHeader? = Self.error(of: Self.file(header: header, dataBytes: 0)).0 else {
            Issue.record("expected invalidHeader for \(header)")
            return
        }
    }

    @Test func headerNotUTF8() {
        var bytes = Self.file(header: #"{"__metadata__":{"k":"vv"}}"#, dataBytes: 0)
        bytes[8 + 24] = 0xff  // inside the string "vv"
        guard case .invalidHeader? = Self.error(of: bytes).0 else {
            Issue.record("expected invalidHeader")
            return
        }
    }

    @Test func offsetsPastEOF() {
        let header = #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 8))
        #expect(error == .offsetsPastEOF(file: path, tensor: "w", end: 16, dataSize: 8))
    }

    @Test func reversedOffsets() {
        let header = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 8))
        #expect(error == .invalidOffsets(file: path, tensor: "w", begin: 8, end: 4))
    }

    @Test func overlappingRanges() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 12))
        #expect(error == .overlappingTensors(file: path, first: "a", second: "b"))
    }

    @Test func sizeMismatch() {
        let header = #"{"w":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,8]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 8))
        #expect(error == .sizeMismatch(file: path, tensor: "w", expectedBytes: 12, actualBytes: 8))
    }

    @Test func duplicateNames() {
        let header = #"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 2))
        #expect(error == .duplicateTensor(file: path, tensor: "w"))
    }

    @Test func unknownDType() {
        let header = #"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 1))
        #expect(error == .unsupportedDType(file: path, tensor: "w", dtype: "F8_E4M3"))
    }

    @Test func negativeDimension() {
        let header = #"{"w":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,0]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 0))
        #expect(error == .invalidShape(file: path, tensor: "w", shape: [-1, 4]))
    }

    @Test func overflowingShape() {
        let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 0))
        #expect(error == .invalidShape(file: path, tensor: "w", shape: [4_294_967_296, 4_294_967_296]))
    }

    @Test func missingDType() {
        let header = #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 4))
        #expect(error == .invalidTensorEntry(file: path, tensor: "w", field: "dtype", reason: "missing or not a string"))
    }

    @Test func malformedDataOffsets() {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 4))
        #expect(error == .invalidTensorEntry(file: path, tensor: "w", field: "data_offsets", reason: "must be two non-negative integers"))
    }

    @Test func fractionalShape() {
        let header = #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 4))
        #expect(error == .invalidTensorEntry(file: path, tensor: "w", field: "shape", reason: "dimensions must be integers"))
    }

    @Test func nonStringMetadata() {
        let header = #"{"__metadata__":{"format":1}}"#
        let (error, path) = Self.error(of: Self.file(header: header, dataBytes: 0))
        #expect(error == .invalidHeader(file: path, reason: "__metadata__ value for 'format' is not a string"))
    }

    @Test func missingFile() {
        let path = "/nonexistent/\(UUID()).safetensors"
        #expect(throws: WeightsError.fileNotFound(path: path)) { try SafetensorsFile(url: URL(fileURLWithPath: path)) }
    }

    @Test func indexNamingAMissingShard() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = #"{"metadata":{},"weight_map":{"w":"model-00001-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: directory.appendingPathComponent("model.safetensors.index.json"))
        let missing = directory.appendingPathComponent("model-00001-of-00002.safetensors").path
        #expect(throws: WeightsError.fileNotFound(path: missing)) { try SafetensorsCheckpoint(url: directory) }
    }

    @Test func indexNamingATensorItsShardLacks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("index-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try SafetensorsWriter.write([("a", try Tensor(shape: [1], floats: [1]))],
                                    to: directory.appendingPathComponent("shard.safetensors"))
        let index = #"{"weight_map":{"a":"shard.safetensors","b":"shard.safetensors"}}"#
        let indexURL = directory.appendingPathComponent("model.safetensors.index.json")
        try Data(index.utf8).write(to: indexURL)
        #expect(throws: WeightsError.invalidIndex(file: indexURL.path, reason: "tensor 'b' is not in its shard shard.safetensors")) {
            try SafetensorsCheckpoint(url: directory)
        }
    }

    @Test func errorMessagesNameFileTensorAndField() {
        let error = WeightsError.invalidTensorEntry(file: "/m/model.safetensors", tensor: "w", field: "shape", reason: "bad")
        #expect(error.localizedDescription.contains("/m/model.safetensors"))
        #expect(error.localizedDescription.contains("'w'"))
        #expect(error.localizedDescription.contains("'shape'"))
    }
}
