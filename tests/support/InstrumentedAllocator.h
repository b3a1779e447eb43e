#pragma once
// The program's global operator new and delete, instrumented for tests that
// are about memory itself. Linking rport_test_allocation replaces them in the
// whole test program (InstrumentedAllocator.cpp), so only tests that need it
// link that library. Both instruments act on the thread that made them only:
// a runner thread or a library's worker allocating at the same moment is
// never hit by a failure or a watch meant for the test's own call.
#include <cstddef>

namespace rport::test {

// Makes large allocations fail on purpose, to show that code which must not
// throw (a C callback, a noexcept boundary) survives std::bad_alloc:
//
//   AllocationFailure failing(4096);         // from now on, on this thread
//   sink.cert(sink.ctx, &bundle);             // copying 8 KB now throws
//   CPPUNIT_ASSERT(failing.refused() > 0);    // ... and really did
//
// While the object lives, every operator new asking for at least fromBytes
// bytes throws std::bad_alloc; smaller ones succeed.
class AllocationFailure {
public:
    explicit AllocationFailure(std::size_t fromBytes) noexcept;
    ~AllocationFailure();
    AllocationFailure(const AllocationFailure&) = delete;
    AllocationFailure& operator=(const AllocationFailure&) = delete;

    // How many allocations were refused so far: a test that expects its
    // code to meet a failure checks that it did.
    std::size_t refused() const noexcept;

private:
    std::size_t _previousLimit;
    std::size_t _refusedBefore;
};

// Watches one heap block and looks at its first `size` bytes at the moment
// operator delete frees it, to show that secrets are wiped before their
// memory goes back to the allocator (reading it afterwards would be
// undefined behaviour).
class FreeWatch {
public:
    FreeWatch(const void* block, std::size_t size) noexcept;
    ~FreeWatch();
    FreeWatch(const FreeWatch&) = delete;
    FreeWatch& operator=(const FreeWatch&) = delete;

    bool freed() const noexcept;
    // Freed, and every watched byte was zero by then.
    bool freedWiped() const noexcept;
};

}  // namespace rport::test
