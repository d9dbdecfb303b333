"""Language offsets of the multilingual encoder's word space.

USE maps "装置" close to "device", but every Chinese word also shares a direction that every
English word lacks (and the reverse): averaged over a document, that offset outweighs the
meaning and Chinese queries find Chinese documents first. Centering each script's words on
the mean of a fixed list of common patent words — the same concepts in both languages — takes
the offset out without looking at any corpus, so it works even when the corpus has no word of
the query's language.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ipai.search.vector.use import use_encode

# parallel lists: the same patent vocabulary in Chinese and English
SEED_ZH = (
    "装置 方法 系统 设备 控制 模块 单元 结构 连接 固定 安装 组件 电路 信号 数据 处理 检测 传感器 电机 材料 "
    "制备 温度 压力 时间 位置 表面 端部 底部 顶部 侧面 内部 外部 组合物 重量 溶液 反应 化合物 细胞 蛋白 基因 "
    "药物 治疗 患者 图像 网络 通信 用户 终端 服务器 存储器 程序 计算 信息 输入 输出 电源 电池 充电 电压 电流 "
    "车辆 发动机 轮胎 飞行器 无人机 机器人 阀门 管道 泵 容器 支架 外壳 盖子 弹簧 齿轮 轴 轴承 马达 叶片 "
    "光源 透镜 显示器 屏幕 芯片 半导体 晶体管 天线 无线 频率 功率 能量 热量 冷却 加热 流体 气体 液体 颗粒 "
    "涂层 薄膜 纤维 金属 塑料 玻璃 陶瓷 聚合物 催化剂 酸 水 空气 食品 包装 医疗 诊断 疫苗 病毒 抗体"
).split()
SEED_EN = (
    "device method system apparatus control module unit structure connection fixing installation assembly "
    "circuit signal data processing detection sensor motor material preparation temperature pressure time "
    "position surface end bottom top side inside outside composition weight solution reaction compound cell "
    "protein gene drug treatment patient image network communication user terminal server memory program "
    "computation information input output power-supply battery charging voltage current vehicle engine tire "
    "aircraft drone robot valve pipe pump container bracket housing lid spring gear shaft bearing motor blade "
    "light-source lens display screen chip semiconductor transistor antenna wireless frequency power energy "
    "heat cooling heating fluid gas liquid particle coating film fiber metal plastic glass ceramic polymer "
    "catalyst acid water air food packaging medical diagnosis vaccine virus antibody"
).split()


def script(word: str) -> str:
    """``han`` for Chinese words, ``latin`` otherwise."""
    return "han" if any("\u3400" <= c <= "\u9fff" for c in word) else "latin"


@lru_cache(maxsize=1)
def offsets() -> dict[str, np.ndarray]:
    """Mean word vector of each script's seed list (float32, unnormalised)."""
    return {"han": use_encode(list(SEED_ZH)).mean(0), "latin": use_encode(list(SEED_EN)).mean(0)}


def center(words: list[str], vecs: np.ndarray) -> np.ndarray:
    """Word vectors with their script's offset removed, re-normalised."""
    off = offsets()
    out = np.asarray(vecs, dtype=np.float32).copy()
    for i, w in enumerate(words):
        out[i] -= off[script(w)]
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
