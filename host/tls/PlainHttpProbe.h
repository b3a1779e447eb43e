#pragma once
// Someone typing http:// for an https:// port sends an HTTP request where a
// TLS ClientHello belongs. Telling them so in plain HTTP beats a silent
// close; nothing else that is not TLS gets an answer.
#include <string>
#include <string_view>

namespace rportd::tls {

// TLS records of type handshake start with this byte; a ClientHello always does.
constexpr unsigned char kTlsHandshakeRecord = 0x16;

// Whether the first bytes of a connection look like an HTTP request line: a
// method token (upper-case letters) then a space. A token still cut short by
// the end of `firstBytes` counts too: such a short prefix is no TLS either.
bool looksLikePlainHttp(std::string_view firstBytes);

// The complete HTTP/1.1 400 answer sent before closing such a connection.
const std::string& plainHttpRejection();

}  // namespace rportd::tls
