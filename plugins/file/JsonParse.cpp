#include "JsonParse.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "FileFormat.h"

namespace rport::plugins::file_auth {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// "line L, column C" of a byte offset; columns count characters, not bytes.
std::string lineAndColumn(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if ((byte & 0xC0) != 0x80) {  // UTF-8 continuation bytes do not start a character
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Poco's messages carry no position. Parsing from a stream again reveals it:
// the parser consumes bytes one at a time, so the stream stops just past the
// offending byte. A space is appended so that an error in the last byte still
// leaves one byte unread and cannot be mistaken for running out of text;
// running out of text then points just past the end. This second pass runs
// only for broken files, so building a throwaway tree does not matter.
std::string describeSyntaxError(const std::string& json, size_t skippedPrefix,
                                std::string_view original, const std::string& message) {
    std::istringstream in(json + " ");
    size_t consumed = json.size() + 1;
    try {
        Poco::JSON::Parser parser;  // the default handler builds the throwaway tree
        parser.parse(in);
    } catch (const Poco::Exception&) {
        in.clear();  // at end of input tellg() reports -1 until the state is cleared
        const auto where = in.tellg();
        if (where >= 0) consumed = static_cast<size_t>(where);
    }
    const size_t offending = std::min(consumed > 0 ? consumed - 1 : 0, json.size());
    return "invalid JSON at " + lineAndColumn(original, skippedPrefix + offending) + ": " + message;
}

}  // namespace

size_t byteOrderMarkLength(std::string_view text) noexcept {
    return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
}

void parseJsonText(const std::string& text, const Poco::SharedPtr<Poco::JSON::Handler>& handler) {
    const size_t bom = byteOrderMarkLength(text);
    const std::string withoutBom = bom ? text.substr(bom) : std::string();
    const std::string& json = bom ? withoutBom : text;
    try {
        Poco::JSON::Parser parser(handler);
        parser.parse(json);
    } catch (const Poco::Exception& e) {
        throw FileFormatError(describeSyntaxError(json, bom, text, e.message()));
    }
}

}  // namespace rport::plugins::file_auth
