#pragma once
// OpenSSL reports failures through a per-thread error queue. Operators need
// one short line ("no shared cipher", "unsupported protocol"), not the queue.
#include <string>

namespace rportd::tls {

// The reason of the oldest queued error (usually the root cause), or
// `fallback` when the queue is empty. Empties this thread's queue.
std::string takeOpenSslError(const std::string& fallback = "unknown TLS error");

}  // namespace rportd::tls
