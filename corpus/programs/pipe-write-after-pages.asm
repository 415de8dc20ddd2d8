; after two whole pages (8192), write of 9000 bytes, 5000 readable: the last buffer is full, no merge; one page (4096)
%define FD 1
%define PRE 8192
%define K 5000
%define LEN 9000
%include "pipe-write.inc"
