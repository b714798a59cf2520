import Foundation
import Tokenizer

/// `promptsmith tokens [--encoding E] [--model M] [--ids] [FILE…]`: the token count of each
/// file (or of standard input), one per line; with `--ids`, the token ids.
enum TokenCountCommand: ToolCommand {
  static let summary = "Count the LLM tokens of files or standard input"
  static let spec = ToolArguments.Spec(options: ["encoding", "model"], flags: ["ids"])
  static let usage = """
    usage: promptsmith tokens [--encoding cl100k_base|o200k_base] [--model NAME] [--ids] [FILE…]
      Prints the token count of each FILE (or of standard input), one per line.
      --encoding  cl100k_base (default; GPT-3.5, GPT-4) or o200k_base (GPT-4o and later)
      --model     an OpenAI model name (gpt-4o, gpt-4.1, o3, gpt-5…), instead of --encoding
      --ids       print the token ids, space-separated, instead of the count
    """

  static func run(_ arguments: ToolArguments, io: ToolIO) throws -> Int32 {
    let encoding: Encoding
    do {
      switch (arguments.options["encoding"], arguments.options["model"]) {
      case (.some, .some):
        throw ToolFailure("give --encoding or --model, not both", status: 2, showUsage: true)
      case (_, .some(let model)):
        encoding = try Encoding.forModel(model)
      case (let name, nil):
        encoding = try Encoding.named(name ?? EncodingName.cl100kBase.rawValue)
      }
    } catch let error as TokenizerError {
      throw ToolFailure("\(error)", status: 2)
    }
    let inputs: [Data] =
      arguments.positional.isEmpty
      ? [io.readStandardInput()] : try arguments.positional.map(io.readFile)
    for input in inputs {
      // Invalid UTF-8 is counted as tiktoken counts Python's replacement characters.
      let text = String(decoding: input, as: UTF8.self)
      if arguments.flags.contains("ids") {
        io.out(encoding.encode(text).map(String.init).joined(separator: " ") + "\n")
      } else {
        io.out("\(encoding.count(text))\n")
      }
    }
    return 0
  }
}
