#include "clients/GoVersion.h"

#include <cerrno>
#include <cstdlib>

namespace rportd::clients {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// go-version's character class [0-9A-Za-z\-~].
bool isWordChar(char c) { return isDigit(c) || isLetter(c) || c == '-' || c == '~'; }

// Dot-separated non-empty runs of word characters.
bool dottedWords(std::string_view s) {
    if (s.empty()) return false;
    size_t run = 0;
    for (char c : s) {
        if (c == '.') {
            if (run == 0) return false;
            run = 0;
        } else if (isWordChar(c)) {
            ++run;
        } else {
            return false;
        }
    }
    return run > 0;
}

}  // namespace

// The library's pattern, anchored:
//   v?([0-9]+(\.[0-9]+)*?)(-([0-9]+X*(\.X+)*)|(-?([A-Za-z\-~]+X*(\.X+)*)))?(\+(X+(\.X+)*))?
// with X = [0-9A-Za-z\-~]. Both pre-release forms reduce to "starts with a
// letter, '-' or '~', then dot-separated words", since '-' is itself in the
// class; a digit run can only end where a '.' is not followed by a digit.
// Checked by hand so that a hostile string cannot make a regex backtrack.
std::optional<std::string> versionError(std::string_view v) {
    const std::string malformed = "Malformed version: " + std::string(v);
    std::string_view s = v;
    if (!s.empty() && s[0] == 'v') s.remove_prefix(1);

    size_t i = 0;
    std::string_view numbers;
    while (true) {
        size_t start = i;
        while (i < s.size() && isDigit(s[i])) ++i;
        if (i == start) return malformed;
        if (i + 1 < s.size() && s[i] == '.' && isDigit(s[i + 1])) {
            ++i;
            continue;
        }
        numbers = s.substr(0, i);
        break;
    }
    std::string_view rest = s.substr(i);
    std::string_view build;
    size_t plus = rest.find('+');
    if (plus != std::string_view::npos) {
        build = rest.substr(plus + 1);
        rest = rest.substr(0, plus);
        if (!dottedWords(build)) return malformed;
    }
    if (!rest.empty()) {
        char first = rest[0];
        if (!(isLetter(first) || first == '-' || first == '~') || !dottedWords(rest))
            return malformed;
    }

    size_t start = 0;
    while (start <= numbers.size()) {
        size_t dot = numbers.find('.', start);
        std::string segment(numbers.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        errno = 0;
        std::strtoll(segment.c_str(), nullptr, 10);
        if (errno == ERANGE)
            return "Error parsing version: strconv.ParseInt: parsing \"" + segment +
                   "\": value out of range";
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return std::nullopt;
}

}  // namespace rportd::clients
