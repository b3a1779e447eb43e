#include "InstrumentedAllocator.h"

#include <cstdlib>
#include <new>

namespace rport::test {
namespace {

constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

thread_local std::size_t tFailFrom = kNoLimit;
thread_local std::size_t tRefused = 0;

struct Watched {
    const void* block = nullptr;
    std::size_t size = 0;
    bool freed = false;
    bool wiped = false;
};
thread_local Watched tWatched;

// Called by operator delete before the block goes back to malloc.
void noteFree(void* block) noexcept {
    if (!block || block != tWatched.block) return;
    const auto* bytes = static_cast<const unsigned char*>(block);
    bool zero = true;
    for (std::size_t i = 0; i < tWatched.size; ++i) zero = zero && bytes[i] == 0;
    tWatched.freed = true;
    tWatched.wiped = zero;
    tWatched.block = nullptr;  // the address may be handed out again
}

}  // namespace

AllocationFailure::AllocationFailure(std::size_t fromBytes) noexcept
    : _previousLimit(tFailFrom), _refusedBefore(tRefused) {
    tFailFrom = fromBytes;
}

AllocationFailure::~AllocationFailure() { tFailFrom = _previousLimit; }

std::size_t AllocationFailure::refused() const noexcept { return tRefused - _refusedBefore; }

FreeWatch::FreeWatch(const void* block, std::size_t size) noexcept {
    tWatched = Watched{block, size, false, false};
}

FreeWatch::~FreeWatch() { tWatched = Watched{}; }

bool FreeWatch::freed() const noexcept { return tWatched.freed; }

bool FreeWatch::freedWiped() const noexcept { return tWatched.freed && tWatched.wiped; }

}  // namespace rport::test

// The replacements: malloc-backed like the defaults, plus the instruments.
// The array, sized and nothrow forms below forward to these two, as
// libstdc++'s own do; they are replaced too because a sanitizer runtime
// (RPORTD_SANITIZE) brings its own forms that would not forward, and blocks
// they handle would escape the instruments.
void* operator new(std::size_t size) {
    if (size >= rport::test::tFailFrom) {
        ++rport::test::tRefused;
        throw std::bad_alloc();
    }
    for (;;) {
        if (void* block = std::malloc(size ? size : 1)) return block;
        std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

void operator delete(void* block) noexcept {
    rport::test::noteFree(block);
    std::free(block);
}

void operator delete(void* block, std::size_t) noexcept {
    rport::test::noteFree(block);
    std::free(block);
}

void* operator new[](std::size_t size) { return ::operator new(size); }

void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(size);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}

void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return ::operator new(size, std::nothrow);
}

void operator delete[](void* block) noexcept { ::operator delete(block); }

void operator delete[](void* block, std::size_t) noexcept { ::operator delete(block); }

void operator delete(void* block, const std::nothrow_t&) noexcept { ::operator delete(block); }

void operator delete[](void* block, const std::nothrow_t&) noexcept { ::operator delete(block); }
