import SmolText
import SmolVision

/// The text a SmolVLM2 video becomes in the prompt (transformers' `SmolVLMProcessor`): an intro
/// with the frame count in words and the duration, each frame's `MM:SS` stamp followed by its
/// global-image block, and a blank line.
public struct VideoPromptTokens: Sendable, Equatable {
    /// The placeholder the chat template writes, replaced by the expansion.
    public var video = "<video>"
    public var image: ImagePromptTokens

    public init(image: ImagePromptTokens) {
        self.image = image
    }

    /// The expansion of one video.
    ///
    /// - Parameter statedFrameCount: the count the intro states. transformers states the frame
    ///   dimension of the prompt's padded `pixel_values`, i.e. the most frames of any video in it.
    public func expansion(times: [Double], wholeSeconds: Int, statedFrameCount: Int) -> String {
        var text = "You are provided the following series of \(NumberWords.cardinal(statedFrameCount)) frames from a "
            + "\(VideoClock.duration(wholeSeconds)) [H:MM:SS] video.\n"
        let frame = image.expansion(rows: 0, cols: 0)
        for time in times {
            text += "\nFrame from \(VideoClock.frameStamp(time)):" + frame
        }
        return text + "\n\n"
    }

    /// `prompt` with its `k`-th `<video>` placeholder replaced by the expansion of the `k`-th video.
    public func expand(_ prompt: String, videos: [ProcessedVideo]) throws(PipelineError) -> String {
        let parts = prompt.components(separatedBy: video)
        guard parts.count - 1 == videos.count else {
            throw .videoCountMismatch(placeholders: parts.count - 1, videos: videos.count)
        }
        let stated = videos.map(\.frameCount).max() ?? 0
        var text = parts[0]
        for (clip, part) in zip(videos, parts.dropFirst()) {
            text += expansion(times: clip.times, wholeSeconds: clip.wholeSeconds, statedFrameCount: stated) + part
        }
        return text
    }

    /// The chat template transformers' SmolVLM processor switches to whenever a message holds a
    /// video (the checkpoints' own template predates video parts and would drop them).
    public static let chatTemplateSource = """
        <|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if message['content'] is string %}{{': ' + message['content']}}{% else %}{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}{% elif line['type'] == 'image' %}{{ '<image>' }}{% elif line['type'] == 'video' %}{{ '<video>' }}{% endif %}{% endfor %}{% endif %}<end_of_utterance>
        {% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}
        """
}
