import ArgumentParser
import Foundation
import SmolVLM

/// Lists what the Hugging Face cache holds.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the models in the Hugging Face cache, with their sizes and revisions.")

    func run() throws {
        let cache = HubClient().cache
        let models = try cache.models()
        guard !models.isEmpty else { return print("no models in \(cache.directory.path)") }
        let rows = models.map { model -> [String] in
            let byCommit = Dictionary(grouping: model.refs, by: \.value).mapValues { $0.map(\.key).sorted() }
            let revisions = model.commits.map { commit in
                (byCommit[commit].map { $0.joined(separator: ", ") + " → " } ?? "") + commit.prefix(8)
            }
            let partial = model.partialBytes > 0 ? " (+\(ByteCount.format(model.partialBytes)) partial)" : ""
            return [model.repo.description, ByteCount.format(model.sizeOnDisk) + partial, "\(model.blobCount)",
                    revisions.joined(separator: "; ")]
        }
        let header = ["MODEL", "SIZE", "FILES", "REVISIONS"]
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  "))
        }
        let total = models.reduce(Int64(0)) { $0 + $1.sizeOnDisk }
        print("\(models.count) model(s), \(ByteCount.format(total)) in \(cache.directory.path)")
    }
}
