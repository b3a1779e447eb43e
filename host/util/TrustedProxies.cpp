#include "util/TrustedProxies.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace rportd::util {

namespace {

// IPv4 addresses live in the IPv4-mapped range, so one comparison covers both.
std::optional<std::array<uint8_t, 16>> parseAddress(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    char buffer[INET6_ADDRSTRLEN];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    std::array<uint8_t, 16> out{};
    in_addr v4{};
    if (inet_pton(AF_INET, buffer, &v4) == 1) {
        out[10] = out[11] = 0xff;
        std::memcpy(out.data() + 12, &v4, 4);
        return out;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, buffer, &v6) == 1) {
        std::memcpy(out.data(), &v6, 16);
        return out;
    }
    return std::nullopt;
}

bool isMappedV4(const std::array<uint8_t, 16>& a) {
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(a.data(), prefix, 12) == 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string canonicalAddress(std::string_view text) {
    auto bytes = parseAddress(text);
    if (!bytes) return "";
    char buffer[INET6_ADDRSTRLEN];
    if (isMappedV4(*bytes)) {
        inet_ntop(AF_INET, bytes->data() + 12, buffer, sizeof buffer);
    } else {
        inet_ntop(AF_INET6, bytes->data(), buffer, sizeof buffer);
    }
    return buffer;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
    for (const std::string& entry : entries) {
        std::string_view text = entry;
        std::string_view address = text;
        int bits = -1;
        if (size_t slash = text.find('/'); slash != std::string_view::npos) {
            address = text.substr(0, slash);
            std::string_view digits = text.substr(slash + 1);
            auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
            if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
                throw std::invalid_argument("\"" + entry +
                                            "\" is not an address or a network (CIDR)");
        }
        auto bytes = parseAddress(address);
        if (!bytes)
            throw std::invalid_argument("\"" + entry + "\" is not an address or a network (CIDR)");
        Network network;
        network.bytes = *bytes;
        const int width = isMappedV4(*bytes) ? 32 : 128;
        if (bits < 0) bits = width;
        if (bits > width)
            throw std::invalid_argument("\"" + entry + "\": a prefix longer than the address");
        network.prefixBits = bits + (128 - width);
        _networks.push_back(network);
    }
}

bool TrustedProxies::contains(std::string_view address) const {
    auto bytes = parseAddress(address);
    if (!bytes) return false;
    for (const Network& n : _networks) {
        int full = n.prefixBits / 8;
        int rest = n.prefixBits % 8;
        if (std::memcmp(bytes->data(), n.bytes.data(), static_cast<size_t>(full)) != 0) continue;
        if (rest == 0) return true;
        uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
        if (((*bytes)[static_cast<size_t>(full)] & mask) ==
            (n.bytes[static_cast<size_t>(full)] & mask))
            return true;
    }
    return false;
}

std::string TrustedProxies::clientAddress(std::string_view peer,
                                          std::string_view forwardedFor) const {
    std::string current(peer);
    if (_networks.empty() || !contains(current)) return current;
    std::string_view rest = forwardedFor;
    while (!rest.empty()) {
        size_t comma = rest.rfind(',');
        std::string_view entry =
            trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
        std::string address = canonicalAddress(entry);
        if (address.empty()) return current;
        current = std::move(address);
        if (!contains(current)) return current;
    }
    return current;
}

}  // namespace rportd::util
