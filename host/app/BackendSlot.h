#pragma once
// A backend instance that can be replaced while requests use it (SIGHUP:
// create a fresh instance, then swap). Each request takes its own reference,
// so the old instance lives until the last request using it returns, and is
// destroyed outside any lock.
#include <atomic>
#include <memory>

namespace rportd::app {

template <class T>
class BackendSlot {
public:
    std::shared_ptr<T> get() const { return std::atomic_load(&_current); }
    void set(std::shared_ptr<T> next) { std::atomic_store(&_current, std::move(next)); }
    explicit operator bool() const { return get() != nullptr; }

private:
    std::shared_ptr<T> _current;
};

}  // namespace rportd::app
