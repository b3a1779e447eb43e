#pragma once
// Which address a request really comes from, when proxies stand in front of
// rportd. X-Forwarded-For is believed only as far as it was written by
// proxies the admin listed ([api] trusted_proxies): the original believed it
// from anyone, so any client could name an address of its choice and dodge
// its ban, or get someone else banned.
//
// The walk goes from the connection's peer leftwards through the header: as
// long as the hop is a trusted proxy, the address it reports is taken; the
// first address that is not a trusted proxy is the client. An entry that is
// not an IP address ends the walk at the last trusted hop, since nothing to
// its left can be believed.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rportd::util {

class TrustedProxies {
public:
    TrustedProxies() = default;
    // Entries are addresses ("127.0.0.1", "::1") or networks in CIDR form
    // ("10.0.0.0/8", "fd00::/8"). Throws std::invalid_argument naming the
    // first entry that is neither.
    explicit TrustedProxies(const std::vector<std::string>& entries);

    bool empty() const { return _networks.empty(); }
    bool contains(std::string_view address) const;

    // The client's address: the peer itself unless it is a trusted proxy
    // that sent X-Forwarded-For; forwardedFor is the field's value (several
    // fields joined with ','), empty when there was none.
    std::string clientAddress(std::string_view peer, std::string_view forwardedFor) const;

private:
    struct Network {
        std::array<uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
        int prefixBits = 128;
    };
    std::vector<Network> _networks;
};

// The address in canonical text ("::ffff:1.2.3.4" becomes "1.2.3.4"), or ""
// when text is not an IP address.
std::string canonicalAddress(std::string_view text);

}  // namespace rportd::util
