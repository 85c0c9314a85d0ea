import Synchronization

/// Byte-pair encoding: splits a pre-tokenized piece into characters and applies
/// the ranked merges, lowest rank first and leftmost among equals (HF `BPE`).
final class BPEModel: Sendable {
    let vocabulary: [String: Int]
    /// `(left id, right id)` packed into one key → (rank, merged id).
    private let merges: [UInt64: (rank: Int, id: Int)]
    private let unknownID: Int?
    private let cache = Mutex<[Substring: [Int]]>([:])
    private static let cacheLimit = 50_000

    /// - Parameter merges: pairs in rank order (rank = index).
    init(vocabulary: [String: Int], merges: [(String, String)], unknownToken: String?, file: String) throws(TokenizerError) {
        self.vocabulary = vocabulary
        var table: [UInt64: (rank: Int, id: Int)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (a, b)) in merges.enumerated() {
            guard let left = vocabulary[a], let right = vocabulary[b], let merged = vocabulary[a + b] else {
                throw .invalidMerge(file: file, merge: "\(a) \(b)")
            }
            let key = Self.key(left, right)
            if table[key] == nil { table[key] = (rank, merged) }
        }
        self.merges = table
        unknownID = unknownToken.flatMap { vocabulary[$0] }
    }

    @inline(__always)
    private static func key(_ a: Int, _ b: Int) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// The ids of one piece (already spelled in the model's alphabet).
    ///
    /// A character missing from the vocabulary becomes the unknown token, or is
    /// dropped when there is none (SmolLM2 lacks a few control bytes such as 0x04).
    func encode(_ piece: Substring, into ids: inout [Int]) {
        if let cached = cache.withLock({ $0[piece] }) {
            ids += cached
            return
        }
        var symbols: [Int] = []
        symbols.reserveCapacity(piece.unicodeScalars.count)
        for scalar in piece.unicodeScalars {
            if let id = vocabulary[String(scalar)] {
                symbols.append(id)
            } else if let unknownID {
                symbols.append(unknownID)
            }
            // Without an unknown token, HF `tokenizers` drops the character: so do we.
        }
        while symbols.count > 1 {
            var best: (rank: Int, id: Int, at: Int)? = nil
            for i in 0..<(symbols.count - 1) {
                if let merge = merges[Self.key(symbols[i], symbols[i + 1])], merge.rank < best?.rank ?? .max {
                    best = (merge.rank, merge.id, i)
                }
            }
            guard let best else { break }
            symbols[best.at] = best.id
            symbols.remove(at: best.at + 1)
        }
        ids += symbols
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[piece] = symbols
        }
    }
}
