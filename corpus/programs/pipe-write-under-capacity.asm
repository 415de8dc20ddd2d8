; write of 100000 bytes, 65535 readable: 15 whole pages (61440)
%define FD 1
%define PRE 0
%define K 65535
%define LEN 100000
%include "pipe-write.inc"
