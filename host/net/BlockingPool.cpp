#include "net/BlockingPool.h"

#include <algorithm>

namespace rportd::net {

namespace {
thread_local const BlockingPool* currentPool = nullptr;
}

size_t defaultBlockingThreads() {
    unsigned cores = std::thread::hardware_concurrency();
    return std::clamp<size_t>(2 * (cores ? cores : 1), 4, 16);
}

BlockingPool::BlockingPool(size_t threads, size_t maxQueued)
    : _maxQueued(std::max<size_t>(maxQueued, 1)) {
    threads = std::max<size_t>(threads, 1);
    _threads.reserve(threads);
    for (size_t i = 0; i < threads; ++i) _threads.emplace_back([this] { work(); });
}

BlockingPool::~BlockingPool() { stop(); }

bool BlockingPool::submit(Task task) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping || _queue.size() >= _maxQueued) return false;
        _queue.push_back(std::move(task));
    }
    _wake.notify_one();
    return true;
}

void BlockingPool::stop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (_stopping && _threads.empty()) return;
        _stopping = true;
    }
    _wake.notify_all();
    for (auto& thread : _threads) {
        if (thread.joinable()) thread.join();
    }
    _threads.clear();
}

bool BlockingPool::onPoolThread() const { return currentPool == this; }

void BlockingPool::work() {
    currentPool = this;
    for (;;) {
        Task task;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _wake.wait(lock, [this] { return _stopping || !_queue.empty(); });
            if (_queue.empty()) return;  // stopping and drained
            task = std::move(_queue.front());
            _queue.pop_front();
        }
        try {
            task();
        } catch (...) {
            // A task reports its own failures; one that throws must not end the thread.
        }
    }
}

}  // namespace rportd::net
