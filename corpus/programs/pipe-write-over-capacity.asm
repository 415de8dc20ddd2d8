; write of 200000 bytes, 131077 readable: more than the 64 KiB pipe holds, the writer waits for the reader; 32 pages (131072)
%define FD 1
%define PRE 0
%define K 131077
%define LEN 200000
%include "pipe-write.inc"
