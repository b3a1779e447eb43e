#pragma once
// Deadlines are kept as plain integers so they fit in a std::atomic that the
// timeout sweep can read without taking the connection's owner's lock.
#include <chrono>
#include <cstdint>

namespace rportd::net {

inline int64_t monotonicMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace rportd::net
