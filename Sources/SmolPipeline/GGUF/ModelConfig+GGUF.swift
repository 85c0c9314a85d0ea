import SmolTensor
import SmolText

extension ModelConfig {
    /// The configuration of a GGUF pair: the text GGUF's decoder and the mmproj's tower.
    ///
    /// A pair does not record whether it was SmolVLM or SmolVLM2 (both convert to projector type
    /// `idefics3` and a `llama` decoder), so ``architecture`` is ``Architecture/idefics3``.
    init(text: TextConfig, mmproj: MMProjConfig, imageTokenID: Int) {
        architecture = .idefics3
        self.text = text
        vision = mmproj.vision
        scaleFactor = mmproj.scaleFactor
        self.imageTokenID = imageTokenID
        tieWordEmbeddings = text.tieWordEmbeddings
    }
}
