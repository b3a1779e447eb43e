#pragma once
// Event loops must never wait: one slow bcrypt or database call there stalls
// every connection of the loop. Code that runs on a loop opens a
// NonBlockingSection; code that is about to block calls requireMayBlock(),
// which throws WouldBlock inside such a section. The caller catches it and
// runs the whole step again on the blocking pool. This keeps the decision
// where the knowledge is (the verifier knows when bcrypt is needed) instead
// of guessing it up front for every request.
namespace rportd::net {

struct WouldBlock {};

namespace detail {
inline thread_local int nonBlockingDepth = 0;
}

class NonBlockingSection {
public:
    NonBlockingSection() { ++detail::nonBlockingDepth; }
    ~NonBlockingSection() { --detail::nonBlockingDepth; }
    NonBlockingSection(const NonBlockingSection&) = delete;
    NonBlockingSection& operator=(const NonBlockingSection&) = delete;
};

inline bool mayBlock() { return detail::nonBlockingDepth == 0; }

inline void requireMayBlock() {
    if (!mayBlock()) throw WouldBlock();
}

}  // namespace rportd::net
