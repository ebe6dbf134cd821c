#include "kinora/storage/object_store_contract.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

namespace kinora::storage::testing {

void ObjectStoreContract::SetUp() {
  instance_ = GetParam().make();
  ASSERT_NE(instance_.store, nullptr);
}

void ObjectStoreContract::TearDown() {
  instance_.store.reset();
  if (instance_.teardown) instance_.teardown();
}

namespace {

// Deterministic, position-dependent bytes so a misplaced chunk cannot compare equal.
std::string Pattern(size_t n, uint32_t seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

std::string ReadAll(ObjectReader& r, size_t chunk = 10007) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    auto n = r.Read(buf);
    EXPECT_TRUE(n) << n.error().message;
    if (!n || *n == 0) return out;
    out.append(buf.data(), *n);
  }
}

std::string ReadRange(ObjectStore& s, std::string_view key, uint64_t first, uint64_t last) {
  auto r = s.Get(key, ByteRange{first, last});
  EXPECT_TRUE(r) << r.error().message;
  return r ? ReadAll(**r) : std::string();
}

std::vector<std::string> Keys(const ListPage& page) {
  std::vector<std::string> keys;
  for (const auto& o : page.objects) keys.push_back(o.key);
  return keys;
}

#define EXPECT_CODE(expr, want)                                                \
  do {                                                                         \
    auto r_ = (expr);                                                          \
    ASSERT_FALSE(r_) << #expr << " unexpectedly succeeded";                    \
    EXPECT_EQ(r_.error().code, (want)) << #expr << ": " << r_.error().message; \
  } while (0)

TEST_P(ObjectStoreContract, PutGetRoundTrip) {
  std::string data = Pattern(1000);
  auto info = PutBytes(store(), "videos/abc.mp4", data);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->key, "videos/abc.mp4");
  EXPECT_EQ(info->size, 1000u);
  auto got = GetBytes(store(), "videos/abc.mp4");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, data);
  auto head = store().Head("videos/abc.mp4");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->content_type, "video/mp4");
  EXPECT_EQ(head->etag, info->etag);
}

TEST_P(ObjectStoreContract, EmptyObject) {
  ASSERT_TRUE(PutBytes(store(), "empty.json", ""));
  auto got = GetBytes(store(), "empty.json");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "");
  auto head = store().Head("empty.json");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 0u);
  EXPECT_CODE(store().Get("empty.json", ByteRange{0, 0}), ErrorCode::kInvalidArgument);
}

TEST_P(ObjectStoreContract, StreamsMultiMegabyteObjectInChunks) {
  const size_t kSize = 5 * 1024 * 1024 + 123;
  std::string data = Pattern(kSize, 7);
  auto w = store().BeginPut("processed/x/big.m4s", "");
  ASSERT_TRUE(w) << w.error().message;
  for (size_t off = 0; off < kSize; off += 65536) {
    size_t n = std::min<size_t>(65536, kSize - off);
    ASSERT_TRUE((*w)->Write(std::span<const char>(data.data() + off, n)));
  }
  EXPECT_EQ((*w)->bytes_written(), kSize);
  auto info = (*w)->Commit();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->size, kSize);
  auto r = store().Get("processed/x/big.m4s", std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->info().size, kSize);
  std::string back = ReadAll(**r, 33333);
  EXPECT_EQ(back.size(), kSize);
  EXPECT_TRUE(back == data);
}

TEST_P(ObjectStoreContract, NotVisibleBeforeCommit) {
  auto w = store().BeginPut("videos/pending.mp4", "video/mp4");
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->Write(std::span<const char>("hello", 5)));
  EXPECT_CODE(store().Head("videos/pending.mp4"), ErrorCode::kNotFound);
  EXPECT_CODE(store().Get("videos/pending.mp4", std::nullopt), ErrorCode::kNotFound);
  auto page = store().List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ(GetBytes(store(), "videos/pending.mp4").value(), "hello");
}

TEST_P(ObjectStoreContract, ReadBackSeesWhatWasWrittenBeforeCommit) {
  auto w = store().BeginPut("videos/readback.mp4", "video/mp4");
  ASSERT_TRUE(w);
  if (!(*w)->can_read_back()) GTEST_SKIP() << "this store cannot read back";
  const std::string data = Pattern(300000, 3);
  ASSERT_TRUE((*w)->Write(std::span<const char>(data.data(), 100000)));
  ASSERT_TRUE((*w)->Write(std::span<const char>(data.data() + 100000, 200000)));
  std::string buf(70000, '\0');
  auto n = (*w)->ReadBack(90000, buf);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, buf.size());
  EXPECT_TRUE(buf == data.substr(90000, 70000));
  n = (*w)->ReadBack(250000, buf);  // short at the end, nothing past it
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 50000u);
  EXPECT_TRUE(buf.substr(0, 50000) == data.substr(250000));
  EXPECT_EQ((*w)->ReadBack(300000, buf).value(), 0u);
  EXPECT_CODE(store().Head("videos/readback.mp4"), ErrorCode::kNotFound);  // still not visible
  ASSERT_TRUE((*w)->Write(std::span<const char>("tail", 4)));  // writing goes on after reading
  ASSERT_TRUE((*w)->Commit());
  EXPECT_TRUE(GetBytes(store(), "videos/readback.mp4").value() == data + "tail");
}

TEST_P(ObjectStoreContract, AbortedPutLeavesNothing) {
  {
    auto w = store().BeginPut("videos/aborted.mp4", "");
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(std::span<const char>("data", 4)));
    (*w)->Abort();
    (*w)->Abort();  // idempotent
  }
  {
    auto w = store().BeginPut("videos/dropped.mp4", "");
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(std::span<const char>("data", 4)));
  }  // destroyed without Commit
  EXPECT_CODE(store().Head("videos/aborted.mp4"), ErrorCode::kNotFound);
  EXPECT_CODE(store().Head("videos/dropped.mp4"), ErrorCode::kNotFound);
  auto page = store().List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
}

TEST_P(ObjectStoreContract, OverwriteReplacesAtomically) {
  auto v1 = PutBytes(store(), "metadata/a.json", "{\"v\":1}");
  ASSERT_TRUE(v1);
  auto w = store().BeginPut("metadata/a.json", "application/json");
  ASSERT_TRUE(w);
  std::string v2_data = Pattern(4096, 3);
  ASSERT_TRUE((*w)->Write(std::span<const char>(v2_data.data(), 2048)));
  EXPECT_EQ(GetBytes(store(), "metadata/a.json").value(), "{\"v\":1}");  // old until commit
  ASSERT_TRUE((*w)->Write(std::span<const char>(v2_data.data() + 2048, 2048)));
  auto v2 = (*w)->Commit();
  ASSERT_TRUE(v2);
  EXPECT_EQ(GetBytes(store(), "metadata/a.json").value(), v2_data);
  auto head = store().Head("metadata/a.json");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, 4096u);
  EXPECT_NE(head->etag, v1->etag);
  EXPECT_EQ(head->etag, v2->etag);
  auto page = store().List("metadata/", "", 10);
  ASSERT_TRUE(page);
  EXPECT_EQ(Keys(*page), std::vector<std::string>{"metadata/a.json"});
}

TEST_P(ObjectStoreContract, RangedGetReturnsExactBytes) {
  std::string data = Pattern(1000, 5);
  ASSERT_TRUE(PutBytes(store(), "r.bin", data));
  EXPECT_EQ(ReadRange(store(), "r.bin", 0, 0), data.substr(0, 1));
  EXPECT_EQ(ReadRange(store(), "r.bin", 999, 999), data.substr(999, 1));
  EXPECT_EQ(ReadRange(store(), "r.bin", 100, 199), data.substr(100, 100));
  EXPECT_EQ(ReadRange(store(), "r.bin", 500, 999), data.substr(500));
  EXPECT_EQ(ReadRange(store(), "r.bin", 0, 999), data);
  auto r = store().Get("r.bin", ByteRange{10, 19});
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->info().size, 1000u);  // info describes the whole object
}

TEST_P(ObjectStoreContract, RangeOutsideObjectIsInvalid) {
  ASSERT_TRUE(PutBytes(store(), "r.bin", Pattern(100)));
  EXPECT_CODE(store().Get("r.bin", ByteRange{0, 100}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store().Get("r.bin", ByteRange{100, 100}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store().Get("r.bin", ByteRange{50, 10}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store().Get("missing.bin", ByteRange{0, 0}), ErrorCode::kNotFound);
}

TEST_P(ObjectStoreContract, HeadReportsSizeAndQuotedEtag) {
  auto put = PutBytes(store(), "thumbnails/t.jpg", Pattern(321));
  ASSERT_TRUE(put);
  auto head = store().Head("thumbnails/t.jpg");
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->key, "thumbnails/t.jpg");
  EXPECT_EQ(head->size, 321u);
  ASSERT_GE(head->etag.size(), 3u);
  EXPECT_EQ(head->etag.front(), '"');
  EXPECT_EQ(head->etag.back(), '"');
  EXPECT_EQ(head->content_type, "image/jpeg");
  auto age = std::chrono::system_clock::now() - head->last_modified;
  EXPECT_LT(std::chrono::abs(age), std::chrono::hours(1));
  EXPECT_CODE(store().Head("thumbnails/none.jpg"), ErrorCode::kNotFound);
  EXPECT_CODE(store().Get("thumbnails/none.jpg", std::nullopt), ErrorCode::kNotFound);
}

TEST_P(ObjectStoreContract, ListPrefixAndPagination) {
  std::vector<std::string> want;
  for (int i = 0; i < 25; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "list/k%02d", i);
    want.push_back(key);
    ASSERT_TRUE(PutBytes(store(), key, key));
  }
  ASSERT_TRUE(PutBytes(store(), "lisz", "x"));
  ASSERT_TRUE(PutBytes(store(), "list.json", "x"));
  ASSERT_TRUE(PutBytes(store(), "other/list/k99", "x"));

  std::vector<std::string> got;
  std::string after;
  std::vector<size_t> sizes;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = store().List("list/", after, 10);
    ASSERT_TRUE(page) << page.error().message;
    sizes.push_back(page->objects.size());
    for (const auto& o : page->objects) got.push_back(o.key);
    if (!page->next) break;
    after = *page->next;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));
  EXPECT_EQ(got, want);

  auto partial = store().List("list/k1", "", 1000);
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->objects.size(), 10u);
  EXPECT_FALSE(partial->next);
  EXPECT_EQ(partial->objects.front().key, "list/k10");
  EXPECT_EQ(partial->objects.front().size, 8u);

  auto all = store().List("", "", 1000);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->objects.size(), 28u);
  auto l = store().List("lis", "list/k24", 1000);
  ASSERT_TRUE(l);
  EXPECT_EQ(Keys(*l), (std::vector<std::string>{"lisz"}));
  auto none = store().List("nothing/here/", "", 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->objects.empty());
  EXPECT_FALSE(none->next);
  EXPECT_CODE(store().List("", "", 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store().List("", "", 1001), ErrorCode::kInvalidArgument);
}

TEST_P(ObjectStoreContract, DeleteIsIdempotent) {
  ASSERT_TRUE(PutBytes(store(), "videos/d.mp4", "x"));
  EXPECT_TRUE(store().Delete("videos/d.mp4"));
  EXPECT_CODE(store().Head("videos/d.mp4"), ErrorCode::kNotFound);
  EXPECT_TRUE(store().Delete("videos/d.mp4"));
  EXPECT_TRUE(store().Delete("never/existed.mp4"));
  ASSERT_TRUE(PutBytes(store(), "videos/d.mp4", "again"));  // the key is reusable
  EXPECT_EQ(GetBytes(store(), "videos/d.mp4").value(), "again");
}

TEST_P(ObjectStoreContract, DeleteManyRemovesEveryListedKey) {
  for (const char* key : {"m/a.json", "m/b.json", "m/c.json"})
    ASSERT_TRUE(PutBytes(store(), key, key));
  ASSERT_TRUE(store().DeleteMany({"m/a.json", "m/c.json", "m/never.json"}));
  auto page = store().List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(Keys(*page), std::vector<std::string>{"m/b.json"});
  EXPECT_TRUE(store().DeleteMany({}));
  EXPECT_CODE(store().DeleteMany({"m/b.json", "../x"}), ErrorCode::kInvalidArgument);
}

TEST_P(ObjectStoreContract, DeletePrefixRemovesOnlyThatPrefix) {
  for (const char* key :
       {"processed/id1/master.m3u8", "processed/id1/720p/seg0.m4s", "processed/id1/720p/seg1.m4s",
        "processed/id1/poster.jpg", "processed/id10/master.m3u8", "processed/id2/master.m3u8"}) {
    ASSERT_TRUE(PutBytes(store(), key, key));
  }
  ASSERT_TRUE(DeletePrefix(store(), "processed/id1/"));
  auto page = store().List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(Keys(*page),
            (std::vector<std::string>{"processed/id10/master.m3u8", "processed/id2/master.m3u8"}));
  EXPECT_TRUE(DeletePrefix(store(), "processed/nothing/"));
}

TEST_P(ObjectStoreContract, InvalidKeysAreRejectedEverywhere) {
  std::vector<std::string> bad = {"../x", "/abs", "a//b",   "a/./b",
                                  "",     "a\\b", "a/../b", "trailing/",
                                  ".",    "..",   "sp ace", std::string(1025, 'k')};
  bad.push_back(std::string("nul\0byte", 8));
  for (const std::string& key : bad) {
    SCOPED_TRACE("key of " + std::to_string(key.size()) + " bytes: " + key.substr(0, 20));
    EXPECT_CODE(ValidateKey(key), ErrorCode::kInvalidArgument);
    EXPECT_CODE(store().BeginPut(key, ""), ErrorCode::kInvalidArgument);
    EXPECT_CODE(store().Get(key, std::nullopt), ErrorCode::kInvalidArgument);
    EXPECT_CODE(store().Head(key), ErrorCode::kInvalidArgument);
    EXPECT_CODE(store().Delete(key), ErrorCode::kInvalidArgument);
    EXPECT_CODE(PutBytes(store(), key, "x"), ErrorCode::kInvalidArgument);
  }
  for (std::string prefix : {"../", "/abs", "a//", "a/../", "a\\"}) {
    SCOPED_TRACE("prefix " + prefix);
    EXPECT_CODE(store().List(prefix, "", 10), ErrorCode::kInvalidArgument);
  }
  // The longest key, in filesystem-friendly segments of 100 bytes.
  std::string longest;
  while (longest.size() < 1024) longest += longest.size() % 101 == 100 ? '/' : 'k';
  ASSERT_EQ(longest.size(), 1024u);
  EXPECT_TRUE(ValidateKey(longest));
  EXPECT_TRUE(ValidateKey("processed/0b1c-x_y/720p.v2/seg-001.m4s"));
  auto put = PutBytes(store(), longest, "long");
  EXPECT_TRUE(put) << put.error().message;
  EXPECT_EQ(GetBytes(store(), longest).value(), "long");
}

}  // namespace
}  // namespace kinora::storage::testing
