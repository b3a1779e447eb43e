#pragma once
// What the two status servers of core_choice.sh share: the route, rportd's
// body and error bodies, and the Basic credentials check (base64 decoded by
// hand, compared in constant time). No Boost here, so the rportd-core server
// (OursStatusServer.cpp) builds without it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace status_route {

// What rportd 0.1.0 answers on GET /api/v1/status with the example config
// (API on 127.0.0.1:3000, clients on :8080); core_choice.sh passes the body
// of the rportd it starts with --body-file.
constexpr std::string_view kDefaultBody =
    R"({"data":{"auth_header":false,"caddy_integration_enabled":false,"clients_auth_mode":"Read Only","clients_auth_source":"Static Credentials","clients_connected":0,"clients_disconnected":0,"connect_url":["http://127.0.0.1:8080"],"excluded_ports":["1-1024"],"group_permissions_enabled":false,"monitoring_enabled":false,"pairing_url":"https://pairing.openrport.io","password_min_length":14,"tunnel_host":"","tunnel_proxy_enabled":false,"two_fa_delivery_method":"","two_fa_enabled":false,"used_ports":["20000-30000"],"users_auth_source":"Static Credentials","version":"0.1.0"}})";

constexpr std::string_view kStatusPath = "/api/v1/status";
constexpr std::string_view kUnauthorizedBody =
    R"({"errors":[{"code":"ERR_CODE_UNAUTHORIZED","title":"unauthorized","detail":""}]})";
constexpr std::string_view kNotFoundBody =
    R"({"errors":[{"code":"ERR_CODE_ROUTE_NOT_FOUND","title":"route not found","detail":""}]})";

inline int base64Value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Standard base64 with padding; false on anything else or when out is too small.
inline bool decodeBase64(std::string_view in, char* out, std::size_t capacity, std::size_t& length) {
    if (in.empty() || in.size() % 4 != 0) return false;
    length = 0;
    for (std::size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            unsigned char c = static_cast<unsigned char>(in[i + k]);
            if (c == '=' && i + 4 == in.size() && k >= 2) {
                v[k] = 0;
                ++pad;
            } else if (pad > 0 || (v[k] = base64Value(c)) < 0) {
                return false;
            }
        }
        std::uint32_t bits = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                             (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
        int bytes = 3 - pad;
        if (length + bytes > capacity) return false;
        out[length++] = static_cast<char>(bits >> 16);
        if (bytes > 1) out[length++] = static_cast<char>(bits >> 8);
        if (bytes > 2) out[length++] = static_cast<char>(bits);
    }
    return true;
}

// Time depends on the length of `expected` only, not on where they differ.
inline bool equalsConstantTime(std::string_view given, std::string_view expected) {
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
        diff |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
    }
    return diff == 0;
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

inline bool authorized(std::string_view header, std::string_view credentials) {
    std::size_t space = header.find(' ');
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "basic")) return false;
    std::string_view encoded = header.substr(space + 1);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    std::array<char, 512> decoded;
    std::size_t length = 0;
    if (!decodeBase64(encoded, decoded.data(), decoded.size(), length)) return false;
    std::string_view given(decoded.data(), length);
    if (given.find(':') == std::string_view::npos) return false;
    return equalsConstantTime(given, credentials);
}

}  // namespace status_route
