#include "ssh/SshWire.h"

namespace rportd::ssh {

WireWriter& WireWriter::byte(uint8_t value) {
    _out.push_back(static_cast<char>(value));
    return *this;
}

WireWriter& WireWriter::uint32(uint32_t value) {
    char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                     static_cast<char>(value >> 8), static_cast<char>(value)};
    _out.append(bytes, 4);
    return *this;
}

WireWriter& WireWriter::uint64(uint64_t value) {
    uint32(static_cast<uint32_t>(value >> 32));
    return uint32(static_cast<uint32_t>(value));
}

WireWriter& WireWriter::string(std::string_view value) {
    if (value.size() > UINT32_MAX) throw WireError("string too long for the SSH encoding");
    uint32(static_cast<uint32_t>(value.size()));
    _out.append(value);
    return *this;
}

WireWriter& WireWriter::mpintFromUnsigned(std::string_view bigEndian) {
    size_t first = 0;
    while (first < bigEndian.size() && bigEndian[first] == 0) ++first;
    std::string_view magnitude = bigEndian.substr(first);
    bool topBitSet = !magnitude.empty() && (static_cast<uint8_t>(magnitude[0]) & 0x80) != 0;
    uint32(static_cast<uint32_t>(magnitude.size() + (topBitSet ? 1 : 0)));
    if (topBitSet) _out.push_back('\0');
    _out.append(magnitude);
    return *this;
}

WireWriter& WireWriter::nameList(const std::vector<std::string>& names) {
    std::string joined;
    for (const auto& name : names) {
        if (!joined.empty()) joined.push_back(',');
        joined += name;
    }
    return string(joined);
}

WireWriter& WireWriter::raw(std::string_view bytes) {
    _out.append(bytes);
    return *this;
}

void WireReader::need(size_t size) const {
    if (_in.size() < size) throw WireError("field runs past the end of the packet");
}

uint8_t WireReader::byte() {
    need(1);
    auto value = static_cast<uint8_t>(_in[0]);
    _in.remove_prefix(1);
    return value;
}

uint32_t WireReader::uint32() {
    need(4);
    auto b = reinterpret_cast<const unsigned char*>(_in.data());
    uint32_t value = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
    _in.remove_prefix(4);
    return value;
}

uint64_t WireReader::uint64() {
    uint64_t high = uint32();
    return (high << 32) | uint32();
}

std::string_view WireReader::string(size_t limit) {
    uint32_t size = uint32();
    if (size > limit) throw WireError("string field longer than allowed");
    return raw(size);
}

std::vector<std::string> WireReader::nameList() {
    std::string_view joined = string();
    std::vector<std::string> names;
    if (joined.empty()) return names;
    size_t start = 0;
    while (true) {
        size_t comma = joined.find(',', start);
        std::string_view name =
            joined.substr(start, comma == std::string_view::npos ? comma : comma - start);
        // RFC 4251: names are non-empty and printable US-ASCII without commas.
        if (name.empty()) throw WireError("empty name in a name-list");
        for (char c : name)
            if (c <= ' ' || c > '~') throw WireError("non-printable byte in a name-list");
        names.emplace_back(name);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return names;
}

std::string_view WireReader::mpintUnsigned() {
    std::string_view value = string();
    if (!value.empty() && (static_cast<uint8_t>(value[0]) & 0x80) != 0)
        throw WireError("negative mpint");
    while (!value.empty() && value[0] == 0) value.remove_prefix(1);
    return value;
}

std::string_view WireReader::raw(size_t size) {
    need(size);
    std::string_view value = _in.substr(0, size);
    _in.remove_prefix(size);
    return value;
}

void WireReader::expectEnd(const char* what) const {
    if (!_in.empty()) throw WireError(std::string("trailing bytes after ") + what);
}

}  // namespace rportd::ssh
