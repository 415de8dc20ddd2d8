; write of 12000 bytes, 8193 readable, buffer not page aligned: the pipe takes 2 whole pages (8192)
%define FD 1
%define PRE 0
%define K 8193
%define LEN 12000
%include "pipe-write.inc"
