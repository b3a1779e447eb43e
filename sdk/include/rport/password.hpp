// rport/password.hpp - password hashing and constant-time comparison through
// libxcrypt's crypt_r (link with -lcrypt). rportd implements its host services
// with these, and the fake host of rport/testing.hpp does the same, so plugin
// tests see exactly the production behaviour.
#ifndef RPORT_PASSWORD_HPP
#define RPORT_PASSWORD_HPP

#include <crypt.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rport::sdk::password {

// Compares in time that depends only on the lengths.
inline bool constantTimeEqual(std::string_view a, std::string_view b) noexcept {
    size_t n = a.size() > b.size() ? a.size() : b.size();
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

// The bcrypt variants rportd accepts; everything else counts as plaintext.
inline bool isBcryptHash(std::string_view s) noexcept {
    return s.size() >= 4 && s[0] == '$' && s[1] == '2' && (s[2] == 'y' || s[2] == 'b' || s[2] == 'a') &&
           s[3] == '$';
}

// A new bcrypt hash with the given cost (4..31) and variant prefix ("$2b$"
// or "$2y$"; both mean the same algorithm), or nullopt when the system cannot
// produce one (bad cost, no randomness).
inline std::optional<std::string> hashBcrypt(std::string_view plain, unsigned long cost = 10,
                                             const char* prefix = "$2b$") {
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    // NULL random bytes: libxcrypt draws them from the OS.
    if (!crypt_gensalt_rn(prefix, cost, nullptr, 0, setting, sizeof setting)) return std::nullopt;
    if (plain.find('\0') != std::string_view::npos) return std::nullopt;
    std::string input(plain);
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* out = crypt_r(input.c_str(), setting, data.get());
    if (!out || out[0] == '*') return std::nullopt;
    return std::string(out);
}

enum class Verdict { Match, Mismatch, Unsupported };

// Checks presented against a crypt(3) hash in constant time.
inline Verdict verifyHash(std::string_view hash, std::string_view presented) {
    if (!isBcryptHash(hash)) return Verdict::Unsupported;
    if (presented.find('\0') != std::string_view::npos) return Verdict::Mismatch;
    std::string h(hash), p(presented);
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* out = crypt_r(p.c_str(), h.c_str(), data.get());
    // libxcrypt returns a string starting with '*' for a malformed setting.
    if (!out || out[0] == '*') return Verdict::Unsupported;
    return constantTimeEqual(out, h) ? Verdict::Match : Verdict::Mismatch;
}

}  // namespace rport::sdk::password

#endif  // RPORT_PASSWORD_HPP
