#pragma once
// Every connection is a descriptor, and the soft RLIMIT_NOFILE of a service
// is often 1024: about a thousand idle clients would take the server down.
// rportd raises the soft limit to the hard one at start and says so.
#include <cstdint>

namespace rportd::net {

struct FileLimit {
    uint64_t before = 0;  // soft limit found
    uint64_t now = 0;     // soft limit after raising (== before when it could not be raised)
    uint64_t hard = 0;
};

FileLimit raiseOpenFileLimit();

}  // namespace rportd::net
