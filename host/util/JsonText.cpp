#include "util/JsonText.h"

#include <stdexcept>

namespace rportd::util::json {

namespace {

// Deeper nesting than any honest document has; a hostile one must not
// exhaust the stack.
constexpr int kMaxDepth = 256;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A strict RFC 8259 checker. Bytes >= 0x80 inside strings are taken as they
// are: Go's decoder accepts invalid UTF-8 too (and shows it as U+FFFD).
class Checker {
public:
    explicit Checker(std::string_view text) : _s(text) {}

    void document() {
        skipSpace();
        value(0);
        skipSpace();
        if (_i != _s.size()) fail("unexpected data after the value");
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw std::invalid_argument(why + " at offset " + std::to_string(_i));
    }
    void skipSpace() {
        while (_i < _s.size() && isSpace(_s[_i])) ++_i;
    }
    char peek() const { return _i < _s.size() ? _s[_i] : '\0'; }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++_i;
    }
    void literal(std::string_view word) {
        if (_s.substr(_i, word.size()) != word) fail("invalid literal");
        _i += word.size();
    }

    void value(int depth) {
        if (depth > kMaxDepth) fail("nesting too deep");
        switch (peek()) {
            case '{':
                object(depth);
                break;
            case '[':
                array(depth);
                break;
            case '"':
                string();
                break;
            case 't':
                literal("true");
                break;
            case 'f':
                literal("false");
                break;
            case 'n':
                literal("null");
                break;
            default:
                if (peek() == '-' || isDigit(peek()))
                    number();
                else
                    fail(_i < _s.size() ? "unexpected character" : "unexpected end of input");
        }
    }

    void object(int depth) {
        expect('{');
        skipSpace();
        if (peek() == '}') {
            ++_i;
            return;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') fail("expected a member name");
            string();
            skipSpace();
            expect(':');
            skipSpace();
            value(depth + 1);
            skipSpace();
            if (peek() == ',') {
                ++_i;
                continue;
            }
            expect('}');
            return;
        }
    }

    void array(int depth) {
        expect('[');
        skipSpace();
        if (peek() == ']') {
            ++_i;
            return;
        }
        while (true) {
            skipSpace();
            value(depth + 1);
            skipSpace();
            if (peek() == ',') {
                ++_i;
                continue;
            }
            expect(']');
            return;
        }
    }

    void string() {
        expect('"');
        while (true) {
            if (_i >= _s.size()) fail("unterminated string");
            unsigned char c = static_cast<unsigned char>(_s[_i]);
            if (c == '"') {
                ++_i;
                return;
            }
            if (c < 0x20) fail("control character in string");
            if (c != '\\') {
                ++_i;
                continue;
            }
            ++_i;
            char e = peek();
            if (e == 'u') {
                for (int k = 1; k <= 4; ++k)
                    if (_i + k >= _s.size() || hexValue(_s[_i + k]) < 0) fail("invalid \\u escape");
                _i += 5;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                       e == 'r' || e == 't') {
                ++_i;
            } else {
                fail("invalid escape");
            }
        }
    }

    void number() {
        if (peek() == '-') ++_i;
        if (peek() == '0') {
            ++_i;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) ++_i;
        } else {
            fail("invalid number");
        }
        if (peek() == '.') {
            ++_i;
            if (!isDigit(peek())) fail("invalid number");
            while (isDigit(peek())) ++_i;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++_i;
            if (peek() == '+' || peek() == '-') ++_i;
            if (!isDigit(peek())) fail("invalid number");
            while (isDigit(peek())) ++_i;
        }
    }

    std::string_view _s;
    size_t _i = 0;
};

size_t skipSpaceFrom(std::string_view s, size_t i) {
    while (i < s.size() && isSpace(s[i])) ++i;
    return i;
}

// The end (one past) of the well-formed value starting at i.
size_t valueEnd(std::string_view s, size_t i) {
    if (i >= s.size()) return i;
    char c = s[i];
    if (c == '"') {
        for (++i; i < s.size(); ++i) {
            if (s[i] == '\\')
                ++i;
            else if (s[i] == '"')
                return i + 1;
        }
        return s.size();
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            char d = s[i];
            if (d == '"') {
                i = valueEnd(s, i) - 1;
            } else if (d == '{' || d == '[') {
                ++depth;
            } else if (d == '}' || d == ']') {
                if (--depth == 0) return i + 1;
            }
        }
        return s.size();
    }
    while (i < s.size() && !isSpace(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
    return i;
}

std::string_view trimmed(std::string_view v) {
    size_t b = skipSpaceFrom(v, 0);
    size_t e = v.size();
    while (e > b && isSpace(v[e - 1])) --e;
    return v.substr(b, e - b);
}

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

uint32_t hex4(std::string_view s, size_t at) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4 && at + k < s.size(); ++k) {
        int h = hexValue(s[at + k]);
        v = (v << 4) | static_cast<uint32_t>(h < 0 ? 0 : h);
    }
    return v;
}

}  // namespace

void validate(std::string_view text) { Checker(text).document(); }

Kind kindOf(std::string_view value) {
    value = trimmed(value);
    switch (value.empty() ? 'n' : value[0]) {
        case '{':
            return Kind::Object;
        case '[':
            return Kind::Array;
        case '"':
            return Kind::String;
        case 't':
        case 'f':
            return Kind::Bool;
        case 'n':
            return Kind::Null;
        default:
            return Kind::Number;
    }
}

std::vector<std::pair<std::string, std::string_view>> members(std::string_view object) {
    std::vector<std::pair<std::string, std::string_view>> out;
    object = trimmed(object);
    size_t i = skipSpaceFrom(object, 1);
    while (i < object.size() && object[i] == '"') {
        size_t keyEnd = valueEnd(object, i);
        std::string key = decodeString(object.substr(i, keyEnd - i));
        i = skipSpaceFrom(object, keyEnd);
        i = skipSpaceFrom(object, i + 1);  // ':'
        size_t end = valueEnd(object, i);
        out.emplace_back(std::move(key), object.substr(i, end - i));
        i = skipSpaceFrom(object, end);
        if (i < object.size() && object[i] == ',') i = skipSpaceFrom(object, i + 1);
    }
    return out;
}

std::vector<std::string_view> elements(std::string_view array) {
    std::vector<std::string_view> out;
    array = trimmed(array);
    size_t i = skipSpaceFrom(array, 1);
    while (i < array.size() && array[i] != ']') {
        size_t end = valueEnd(array, i);
        out.push_back(array.substr(i, end - i));
        i = skipSpaceFrom(array, end);
        if (i < array.size() && array[i] == ',') i = skipSpaceFrom(array, i + 1);
    }
    return out;
}

std::string decodeString(std::string_view literal) {
    literal = trimmed(literal);
    std::string out;
    if (literal.size() < 2) return out;
    std::string_view s = literal.substr(1, literal.size() - 2);
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i >= s.size()) break;
        switch (s[i]) {
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                uint32_t cp = hex4(s, i + 1);
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00) {
                    // A high surrogate counts only with a low one right after.
                    if (i + 6 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
                        uint32_t low = hex4(s, i + 3);
                        if (low >= 0xDC00 && low < 0xE000) {
                            appendUtf8(out, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
                            i += 6;
                            break;
                        }
                    }
                    cp = 0xFFFD;
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    cp = 0xFFFD;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                out += s[i];  // '"', '\\', '/'
        }
    }
    return out;
}

std::string compact(std::string_view value) {
    value = trimmed(value);
    std::string out;
    out.reserve(value.size());
    for (size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '"') {
            size_t end = valueEnd(value, i);
            out.append(value.substr(i, end - i));
            i = end - 1;
        } else if (!isSpace(c)) {
            out += c;
        }
    }
    return out;
}

}  // namespace rportd::util::json
