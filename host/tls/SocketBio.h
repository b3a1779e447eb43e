#pragma once
// A BIO over a non-blocking socket that sends with MSG_NOSIGNAL. OpenSSL's
// own socket BIO uses write(), which raises SIGPIPE when the client has
// already gone; the host must survive that whatever its signal setup.
#include <openssl/bio.h>

namespace rportd::tls {

// A new BIO on `fd`; it does not close the fd. Null if out of memory.
BIO* newSocketBio(int fd);

}  // namespace rportd::tls
