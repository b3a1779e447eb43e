#include "config/Text.h"

#include <cstdio>
#include <stdexcept>

namespace rportd::config {

std::string toLowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string trimBlanks(std::string_view text) {
    const char* blanks = " \t\r\n";
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(blanks);
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> splitCsvRecord(std::string_view text) {
    std::vector<std::string> fields;
    std::string field;
    std::size_t i = 0;
    bool expectField = true;
    while (expectField) {
        field.clear();
        // Blanks before an opening quote do not count as content.
        std::size_t start = i;
        while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
        if (start < text.size() && text[start] == '"') {
            i = start + 1;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                field += text[i++];
            }
            if (!closed) throw std::invalid_argument("unterminated quoted field");
            while (i < text.size() && text[i] != ',') {
                if (text[i] != ' ' && text[i] != '\t')
                    throw std::invalid_argument("unexpected text after a quoted field");
                ++i;
            }
            fields.push_back(field);
        } else {
            while (i < text.size() && text[i] != ',') {
                if (text[i] == '"')
                    throw std::invalid_argument("stray '\"' inside an unquoted field");
                field += text[i++];
            }
            fields.push_back(trimBlanks(field));
        }
        expectField = i < text.size();  // we stopped at a comma: another field follows
        if (expectField) ++i;
    }
    return fields;
}

}  // namespace rportd::config
