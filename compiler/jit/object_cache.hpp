#pragma once
// A content-addressed on-disk cache of compiled mechanisms (object files).
//
// An entry is `<key>.rvo`: a 512-byte text header (format, key, mechanism name,
// payload size and SHA-256) followed by the object file. Entries are written to a
// temporary file and renamed into place, so concurrent processes never see half an
// entry; a reader that finds a damaged entry (wrong header, size or checksum) removes
// it and reports it, and the caller compiles afresh.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <llvm/Support/MemoryBuffer.h>

namespace ranvier::jit {

// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

class ObjectCache {
public:
  // $RANVIER_CACHE_DIR, else $XDG_CACHE_HOME/ranvier, else ~/.cache/ranvier.
  static std::filesystem::path defaultDirectory();

  // An empty directory disables the cache. It is created when first written.
  explicit ObjectCache(std::filesystem::path directory);

  bool enabled() const { return !directory_.empty(); }
  const std::filesystem::path &directory() const { return directory_; }

  struct Entry {
    std::string mechanism;
    std::unique_ptr<llvm::MemoryBuffer> file;  // the mapped file; `object` points into it
    std::string_view object;
  };
  enum class Lookup { Miss, Hit, Damaged };
  Lookup find(const std::string &key, Entry &entry) const;

  // Returns false (with a reason) when the entry cannot be written; the cache is an
  // optimisation, so callers go on.
  bool store(const std::string &key, const std::string &mechanism, std::string_view object, std::string &error) const;

  std::filesystem::path pathOf(const std::string &key) const;

private:
  std::filesystem::path directory_;
};

}  // namespace ranvier::jit
