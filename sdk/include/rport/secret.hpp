// rport/secret.hpp - text that is wiped from memory when it is let go, for
// private keys in PEM and the like. Header-only and free of OpenSSL, so a
// plugin that holds a key needs no library it does not already use.
#ifndef RPORT_SECRET_HPP
#define RPORT_SECRET_HPP

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace rport::sdk {

// Overwrites size bytes at data with zeros. A plain memset of memory that is
// about to be freed is a dead store the optimiser may delete; calling memset
// through a volatile pointer hides what is called, so the call has to stay
// (the same trick as OPENSSL_cleanse, which the SDK cannot link).
inline void wipe(void* data, std::size_t size) noexcept {
    static void* (*const volatile setBytes)(void*, int, std::size_t) = std::memset;
    if (data && size) setBytes(data, 0, size);
}

// A string for secrets. Its bytes live in one heap block of its own that is
// wiped before it is freed: on destruction, on assignment, on clear(), and
// when append() has to move to a larger block. A std::string cannot promise
// that: it leaves copies behind in the blocks it outgrows and in its inline
// buffer. Copies are SecretStrings again; moves hand the block over. What
// it is built from (a std::string, a C buffer) is the caller's to wipe.
class SecretString {
public:
    SecretString() noexcept = default;
    SecretString(std::string_view text) { append(text); }
    SecretString(const std::string& text) : SecretString(std::string_view(text)) {}
    SecretString(const char* text) : SecretString(std::string_view(text ? text : "")) {}
    SecretString(const SecretString& other) : SecretString(other.view()) {}
    SecretString(SecretString&& other) noexcept
        : _data(std::exchange(other._data, nullptr)),
          _size(std::exchange(other._size, 0)),
          _capacity(std::exchange(other._capacity, 0)) {}
    ~SecretString() { release(); }

    SecretString& operator=(const SecretString& other) {
        if (this != &other) {
            SecretString copy(other);
            swap(copy);
        }
        return *this;
    }
    SecretString& operator=(SecretString&& other) noexcept {
        if (this != &other) {
            release();
            _data = std::exchange(other._data, nullptr);
            _size = std::exchange(other._size, 0);
            _capacity = std::exchange(other._capacity, 0);
        }
        return *this;
    }

    void swap(SecretString& other) noexcept {
        std::swap(_data, other._data);
        std::swap(_size, other._size);
        std::swap(_capacity, other._capacity);
    }

    // Adds text at the end. Growing moves everything to a new block and
    // wipes the old one, so reading a key file in pieces leaves no trace.
    void append(std::string_view text) {
        if (text.empty()) return;
        if (text.size() > kMaxSize - _size) throw std::length_error("secret text too long");
        if (text.size() > _capacity - _size) grow(_size + text.size());
        std::memcpy(_data + _size, text.data(), text.size());
        _size += text.size();
        _data[_size] = '\0';
    }
    // Wipes and frees the text; the string is empty afterwards.
    void clear() noexcept { release(); }

    std::string_view view() const noexcept {
        return _data ? std::string_view(_data, _size) : std::string_view();
    }
    operator std::string_view() const noexcept { return view(); }
    // NUL-terminated, for C interfaces that want one.
    const char* c_str() const noexcept { return _data ? _data : ""; }
    const char* data() const noexcept { return c_str(); }
    std::size_t size() const noexcept { return _size; }
    bool empty() const noexcept { return _size == 0; }

    friend bool operator==(const SecretString& a, const SecretString& b) noexcept {
        return a.view() == b.view();
    }
    friend bool operator!=(const SecretString& a, const SecretString& b) noexcept {
        return !(a == b);
    }

private:
    static constexpr std::size_t kMaxSize = static_cast<std::size_t>(-1) / 4;

    void grow(std::size_t needed) {
        std::size_t capacity = _capacity < 64 ? 64 : _capacity;
        while (capacity < needed) capacity *= 2;  // needed <= kMaxSize: cannot overflow
        char* block = new char[capacity + 1];
        const std::size_t size = _size;
        if (size) std::memcpy(block, _data, size);
        block[size] = '\0';
        release();
        _data = block;
        _size = size;
        _capacity = capacity;
    }
    void release() noexcept {
        if (_data) {
            wipe(_data, _capacity + 1);
            delete[] _data;
        }
        _data = nullptr;
        _size = 0;
        _capacity = 0;
    }

    char* _data = nullptr;
    std::size_t _size = 0;      // without the terminating NUL
    std::size_t _capacity = 0;  // bytes of text the block holds, plus one for the NUL
};

}  // namespace rport::sdk

#endif  // RPORT_SECRET_HPP
