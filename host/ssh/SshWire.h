#pragma once
// The SSH binary encoding (RFC 4251 §5): byte, boolean, uint32, uint64,
// string, mpint and name-list, written into a growing buffer and read back
// from a bounded view. The reader never reads past its view: every getter
// fails (returns false / throws WireError) on a short or malformed field, so a
// hostile peer's packet can only end the connection, never overrun memory.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::ssh {

// A field that does not fit its packet, or breaks the encoding rules.
struct WireError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class WireWriter {
public:
    WireWriter() = default;
    explicit WireWriter(std::string initial) : _out(std::move(initial)) {}

    WireWriter& byte(uint8_t value);
    WireWriter& boolean(bool value) { return byte(value ? 1 : 0); }
    WireWriter& uint32(uint32_t value);
    WireWriter& uint64(uint64_t value);
    WireWriter& string(std::string_view value);  // uint32 length + bytes
    // An unsigned big-endian magnitude as mpint: leading zeros dropped, a 0x00
    // added when the top bit is set so that it does not read as negative.
    WireWriter& mpintFromUnsigned(std::string_view bigEndian);
    WireWriter& nameList(const std::vector<std::string>& names);
    WireWriter& raw(std::string_view bytes);

    std::string& buffer() { return _out; }
    std::string take() { return std::move(_out); }

private:
    std::string _out;
};

class WireReader {
public:
    explicit WireReader(std::string_view in) : _in(in) {}

    uint8_t byte();
    bool boolean() { return byte() != 0; }
    uint32_t uint32();
    uint64_t uint64();
    // A string no longer than `limit` bytes (the packet bounds it anyway).
    std::string_view string(size_t limit = SIZE_MAX);
    std::vector<std::string> nameList();
    // mpint that must be non-negative; returns the magnitude without the sign byte.
    std::string_view mpintUnsigned();
    std::string_view raw(size_t size);

    size_t remaining() const { return _in.size(); }
    bool atEnd() const { return _in.empty(); }
    // Fails unless every byte was read: trailing data is a protocol violation.
    void expectEnd(const char* what) const;

private:
    void need(size_t size) const;
    std::string_view _in;
};

}  // namespace rportd::ssh
