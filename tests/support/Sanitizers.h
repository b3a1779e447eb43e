#pragma once
// Whether this program was built with a sanitizer (RPORTD_SANITIZE), for the
// few checks of a figure that a sanitizer distorts: AddressSanitizer keeps
// freed memory in quarantine and maps shadow memory, so resident size says
// nothing about the code under test; ThreadSanitizer slows every access.
// Such a check is left out under a sanitizer (never the test around it), or
// a deadline that is about throughput rather than correctness is longer.
namespace rport::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
#else
inline constexpr bool kUnderSanitizer = false;
#endif

}  // namespace rport::test
